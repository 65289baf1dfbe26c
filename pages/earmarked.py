"""Earmarked budgets and inter-cluster projects (VARIO advice 36, Recommendation 2: 'certainly for inter-cluster projects')."""

from clusterpolicy import ui
from clusterpolicy.views import earmarked

ui.use_router()
earmarked.render()
