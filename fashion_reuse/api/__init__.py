"""The HTTP API: FastAPI app, request/response schemas, and the SQLite job queue with its single model-owning worker."""
