/* cvkit cancellation: the process-wide flag of include/cvkit/cancel.h. */
#include "cvkit/cancel.h"

atomic_int cv_cancel_flag;

void cv_cancel_set(void)
{
    atomic_store_explicit(&cv_cancel_flag, 1, memory_order_relaxed);
}

void cv_cancel_clear(void)
{
    atomic_store_explicit(&cv_cancel_flag, 0, memory_order_relaxed);
}

int cv_cancel_check(cv_error *err)
{
    if (!cv_cancelled())
        return 0;
    return cv_error_set(err, CV_ERR_LIMIT, "cancelled");
}
