"""Reports and their outbox.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("reporter_role", sa.String(16), nullable=False),
        sa.Column("reporter_pseudonym", sa.String(64), nullable=False, index=True),
        sa.Column("age_band", sa.String(16)),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("risk", sa.String(16), nullable=False),
        sa.Column("relation", sa.String(32)),
        sa.Column("setting", sa.String(32)),
        sa.Column("province", sa.String(64)),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("consent_basis", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply_address", sa.Text),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False, index=True),
        sa.Column("delivered_at", sa.DateTime),
        sa.Column("last_error", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("reports")
