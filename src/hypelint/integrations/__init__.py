"""Adapters to data tools that already scale: pandas frames (also the unit of work for Spark's
`mapInPandas`) and Dask DataFrames and Bags. They lint records with :mod:`hypelint.records`, so
their findings are the same rows `hypelint check --records` writes. Each needs its own extra
(`pip install 'hypelint[dask]'`); importing this package imports none of them."""
