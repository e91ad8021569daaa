"""Length and size limits of what departments type, shared by the models (constraints), the parser
and the page (character counts). A published annual report runs to about 5,000–10,000 characters
in all, so the narrative limit leaves room without inviting pasted attachments."""

TEXT_VALUE_MAX_LENGTH = 2000
EXPLANATION_MAX_LENGTH = 1000
NARRATIVE_MAX_LENGTH = 20000
COMMENT_MAX_LENGTH = 1000
# What one number may be: 14 integer digits (NUMBER in models.py); anything larger is a typo.
NUMBER_MAX = 10**14 - 1
