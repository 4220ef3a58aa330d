"""The product catalog: the read-heavy data the cache serves."""
