"""Lesson progress per pseudonym (actions/progress.py).

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_progress",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String(64), nullable=False, index=True),
        sa.Column("lesson_id", sa.String(64), nullable=False),
        sa.Column("track", sa.String(16), nullable=False),
        sa.Column("age_band", sa.String(16)),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("completed_at", sa.DateTime),
        sa.UniqueConstraint("pseudonym", "lesson_id", name="uq_lesson_progress_pseudonym_lesson"),
    )


def downgrade() -> None:
    op.drop_table("lesson_progress")
