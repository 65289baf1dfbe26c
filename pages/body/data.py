"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

from clusterpolicy.views import data

data.render()
