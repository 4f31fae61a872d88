"""The reports app reads domain records and never writes them.

It will own only the published snapshots of the year-end statistics.
"""
