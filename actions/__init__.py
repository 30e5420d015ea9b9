"""Custom actions (rasa_sdk). The action server loads this package (`rasa run actions --actions
actions`) and registers the Action classes of its modules:

disclosure   the disclosure flow: start, form validation, finish, emergency
reporting    escalation: anonymised report and outbox rows
store        the report store (SQLAlchemy, Alembic migrations in migrations/)
anonymiser   names, phones, addresses, schools … replaced by typed placeholders
lessons      lessons and quizzes of the child, parent and staff tracks, from content/
progress     lesson progress per pseudonym, and aggregate lesson statistics
"""
