"""Data and sources: every contract table, every source with its kind and link, downloads, and the data version."""

from clusterpolicy import ui
from clusterpolicy.views import data

ui.use_router()
data.render()
