"""Agency search folds text like every other search of the project (see ``vgp.core.text``)."""

from vgp.core.text import fold, terms

__all__ = ["fold", "terms"]
