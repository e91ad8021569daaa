"""Framework configuration for administrators: editing drafts, clone / publish / archive with a
confirmation page, and Excel import and export.

Published and archived editions are shown read-only: they are what departments file against, so
the way to change one is to clone it into a new version.
"""

from . import framework, provisions, tree  # noqa: F401 — registers the model admins
