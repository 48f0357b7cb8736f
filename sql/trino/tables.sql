-- The tables of our schema, for the engine's callers that check what a run left behind (staging tables).
SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name
