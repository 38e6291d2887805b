"""merge heads

Revision ID: ff18dfd40a2e
Revises: 85f631a9630c, af8dec7239c1
Create Date: 2025-06-03 13:16:40.128893

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ff18dfd40a2e'
down_revision = ('85f631a9630c', 'af8dec7239c1')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
