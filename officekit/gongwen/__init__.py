"""GB/T 9704-2012 公文格式: the numbers (spec), applying them (layout), raw XML helpers (oxml)."""
