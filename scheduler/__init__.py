"""keyperson: plan key persons and co-workers for an early-years setting."""
