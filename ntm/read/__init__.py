"""The read side: scopes and every query over the figures in force (summary, NTM, poverty, targets,
commune profile, map figures). The only place that writes SQL over the figures."""
