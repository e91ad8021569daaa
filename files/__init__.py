"""Files users upload and download, written once for every app.

`kinds` (what an uploaded file really is, and which kinds a browser may show inline), `responses`
(every download: FileResponse with the user's name as RFC 6266 `filename*`, nosniff, a sandbox
policy, no caching) and `storage` (a stored file does not outlive a row that failed to save).
Below every app: it imports only Django and `spreadsheets`.
"""
