"""The cache between the API and the database: cache-aside over Redis or memory."""
