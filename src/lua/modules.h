/* The C modules of cvkit's Lua face: one line per module, CV_MODULE(require name, luaopen
   function). To add a binding, add its file src/lua/l_<name>.c and one line here.
   (Included by lbind.h for the prototypes and by modules.c for the list; no guard.) */
CV_MODULE("cv.core.engine", luaopen_cv_engine)
CV_MODULE("cv.core.table", luaopen_cv_table)
CV_MODULE("cv.core.csv", luaopen_cv_csv)
CV_MODULE("cv.core.formula", luaopen_cv_formula)
CV_MODULE("cv.core.summary", luaopen_cv_summary)
CV_MODULE("cv.core.mc", luaopen_cv_mc)
CV_MODULE("cv.core.file", luaopen_cv_file)
CV_MODULE("cv.core.costing", luaopen_cv_costing)
CV_MODULE("cv.core.sql", luaopen_cv_sql)
CV_MODULE("cv.core.segment", luaopen_cv_segment)
CV_MODULE("cv.core.models", luaopen_cv_models)
CV_MODULE("cv.core.covariates", luaopen_cv_covariates)
CV_MODULE("cv.core.opts", luaopen_cv_opts)
CV_MODULE("cv.core.date", luaopen_cv_date)
