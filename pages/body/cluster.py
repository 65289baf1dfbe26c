"""A cluster's profile: what it is, its money over time, its partners, its KPIs and the scenarios (/cluster?c=vil)."""

from clusterpolicy.views import cluster

cluster.render()
