"""Views of returns, one module per page family (entry, submission, returns, deadlines); others
(evidence, xlsx, dashboard) add their own modules beside these."""
