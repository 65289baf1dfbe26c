"""Earmarked budgets and inter-cluster projects (VARIO advice 36, Recommendation 2: 'certainly for inter-cluster projects')."""

from clusterpolicy.views import earmarked

earmarked.render()
