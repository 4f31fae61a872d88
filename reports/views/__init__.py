"""The reports app's views, one module per output: the year-end statistics and the dashboard."""
