-- The postgres image runs this once, on an empty data volume: a database for Rasa's tracker
-- store next to the report store's (POSTGRES_DB, created by the image).
CREATE DATABASE rasa OWNER khien;
