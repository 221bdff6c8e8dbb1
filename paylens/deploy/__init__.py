"""Running PayLens beyond one machine: a throwaway PostgreSQL catalog for DuckLake (deploy.postgres)."""
