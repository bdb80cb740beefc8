"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_meta',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_meta'))
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 3', name=op.f('ck_category_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['category.id'], name=op.f('fk_category_parent_id_category')),
    sa.ForeignKeyConstraint(['root_id'], ['category.id'], name=op.f('fk_category_root_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('code', name=op.f('uq_category_code'))
    )
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_parent_id'), ['parent_id'], unique=False)

    op.create_table('org_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('hotline', sa.String(length=40), nullable=True),
    sa.CheckConstraint("level IN ('city', 'subdistrict', 'community', 'department')", name=op.f('ck_org_unit_level')),
    sa.ForeignKeyConstraint(['parent_id'], ['org_unit.id'], name=op.f('fk_org_unit_parent_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_org_unit_code'))
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_unit_parent_id'), ['parent_id'], unique=False)

    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic')),
    sa.UniqueConstraint('code', name=op.f('uq_topic_code')),
    sa.UniqueConstraint('name', name=op.f('uq_topic_name'))
    )
    op.create_table('workday_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workday_override')),
    sa.UniqueConstraint('day', name=op.f('uq_workday_override_day'))
    )
    op.create_table('annual_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_annual_target_category_id_category')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_annual_target_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_target')),
    sa.UniqueConstraint('unit_id', 'year', 'metric', 'category_id', name=op.f('uq_annual_target_unit_id_year_metric_category_id'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('leader', 'staff', 'admin')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_app_user_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('board',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('gate', 'community', 'led', 'other')", name=op.f('ck_board_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_board_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board')),
    sa.UniqueConstraint('unit_id', 'name', name=op.f('uq_board_unit_id_name'))
    )
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('total_investment', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('annual_plan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_project_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('unit_id', 'year', 'name', name=op.f('uq_project_unit_id_year_name'))
    )
    op.create_table('screen_slide',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('slide_key', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.CheckConstraint('seconds BETWEEN 3 AND 600', name=op.f('ck_screen_slide_seconds')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_screen_slide_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_slide')),
    sa.UniqueConstraint('unit_id', 'slide_key', name=op.f('uq_screen_slide_unit_id_slide_key'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_log_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('upload_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=7), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('publications', 'projects', 'requests', 'boards', 'deliveries', 'interpretations', 'hotline', 'seed')", name=op.f('ck_upload_batch_kind')),
    sa.CheckConstraint("status IN ('active', 'superseded', 'undone')", name=op.f('ck_upload_batch_status')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['upload_batch.id'], name=op.f('fk_upload_batch_supersedes_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_upload_batch_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['app_user.id'], name=op.f('fk_upload_batch_uploaded_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload_batch')),
    sa.UniqueConstraint('kind', 'unit_id', 'period_key', 'file_hash', name=op.f('uq_upload_batch_kind_unit_id_period_key_file_hash'))
    )
    with op.batch_alter_table('upload_batch', schema=None) as batch_op:
        batch_op.create_index('ix_upload_batch_scope', ['kind', 'unit_id', 'period_key', 'status'], unique=False)

    op.create_table('board_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('update_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('年度换新', '季度更新', '即时更新', '修缮')", name=op.f('ck_board_update_kind')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_board_update_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_board_update_board_id_board')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_update'))
    )
    with op.batch_alter_table('board_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_update_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_board_update_board_date', ['board_id', 'update_date'], unique=False)

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_ym', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=10), nullable=False),
    sa.Column('delivered_date', sa.Date(), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("recipient IN ('archive', 'library')", name=op.f('ck_delivery_recipient')),
    sa.CheckConstraint('item_count >= 0', name=op.f('ck_delivery_item_count')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_delivery_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_delivery_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('unit_id', 'period_ym', 'recipient', name=op.f('uq_delivery_unit_id_period_ym_recipient'))
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_batch_id'), ['batch_id'], unique=False)

    op.create_table('disclosure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('request_no', sa.String(length=60), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('received_year', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('applicant_type', sa.String(length=20), nullable=False),
    sa.Column('applicant_name', sa.String(length=100), nullable=True),
    sa.Column('applicant_contact', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.Column('extension_approved', sa.Boolean(), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('reply_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=60), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("applicant_type IN ('自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他')", name=op.f('ck_disclosure_request_applicant_type')),
    sa.CheckConstraint("channel IN ('当面', '网络', '信函', '传真')", name=op.f('ck_disclosure_request_channel')),
    sa.CheckConstraint('extension_days BETWEEN 0 AND 20', name=op.f('ck_disclosure_request_extension_days')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_disclosure_request_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_disclosure_request_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_request')),
    sa.UniqueConstraint('unit_id', 'request_no', name=op.f('uq_disclosure_request_unit_id_request_no'))
    )
    with op.batch_alter_table('disclosure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_request_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_disclosure_request_scope', ['unit_id', 'received_year', 'channel'], unique=False)

    op.create_table('hotline_duty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('duty_date', sa.Date(), nullable=False),
    sa.Column('duty_year', sa.Integer(), nullable=False),
    sa.Column('official', sa.String(length=60), nullable=False),
    sa.Column('topics', sa.String(length=500), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_hotline_duty_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_hotline_duty_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_duty'))
    )
    with op.batch_alter_table('hotline_duty', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotline_duty_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_duty_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('ym', sa.Integer(), nullable=False),
    sa.Column('month_invested', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('ytd_invested', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('annual_plan', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('plan_ytd', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('total_investment', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_project_progress_month')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_project_progress_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_progress_project_id_project')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_project_progress_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_progress')),
    sa.UniqueConstraint('project_id', 'ym', name=op.f('uq_project_progress_project_id_ym'))
    )
    with op.batch_alter_table('project_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_progress_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_project_progress_scope', ['unit_id', 'year', 'month'], unique=False)

    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('index_no', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('category_root_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('doc_no', sa.String(length=100), nullable=True),
    sa.Column('is_official_document', sa.Boolean(), nullable=False),
    sa.Column('formed_date', sa.Date(), nullable=False),
    sa.Column('published_date', sa.Date(), nullable=True),
    sa.Column('published_year', sa.Integer(), nullable=True),
    sa.Column('published_ym', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('full_text', sa.Boolean(), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('withheld_reason', sa.String(length=20), nullable=True),
    sa.Column('withheld_note', sa.String(length=500), nullable=True),
    sa.Column('secrecy_reviewed', sa.Boolean(), nullable=False),
    sa.Column('secrecy_reviewer', sa.String(length=60), nullable=True),
    sa.Column('secrecy_review_date', sa.Date(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("attribute <> 'proactive' OR published_date IS NOT NULL", name=op.f('ck_publication_proactive_published')),
    sa.CheckConstraint("attribute <> 'withheld' OR withheld_reason IS NOT NULL", name=op.f('ck_publication_withheld_reason')),
    sa.CheckConstraint("attribute IN ('proactive', 'on_request', 'withheld')", name=op.f('ck_publication_attribute')),
    sa.CheckConstraint("channel IN ('政府门户网站', '政府公报', '公开栏', '两微一端', '其他')", name=op.f('ck_publication_channel')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_publication_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_publication_category_id_category')),
    sa.ForeignKeyConstraint(['category_root_id'], ['category.id'], name=op.f('fk_publication_category_root_id_category')),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_publication_topic_id_topic')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_publication_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication')),
    sa.UniqueConstraint('unit_id', 'index_no', name=op.f('uq_publication_unit_id_index_no'))
    )
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_publication_stats', ['unit_id', 'published_year', 'published_ym', 'attribute', 'category_root_id', 'topic_id', 'channel', 'full_text'], unique=False)

    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('litigation_path', sa.String(length=30), nullable=True),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('filed_year', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=True),
    sa.Column('closed_date', sa.Date(), nullable=True),
    sa.Column('summary', sa.String(length=1000), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('reconsideration', 'litigation', 'complaint')", name=op.f('ck_appeal_kind')),
    sa.CheckConstraint("litigation_path IS NULL OR litigation_path IN ('direct', 'after_reconsideration')", name=op.f('ck_appeal_litigation_path')),
    sa.CheckConstraint("result IS NULL OR result IN ('维持', '纠正', '其他结果', '尚未审结')", name=op.f('ck_appeal_result')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_appeal_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['request_id'], ['disclosure_request.id'], name=op.f('fk_appeal_request_id_disclosure_request')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_appeal_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index('ix_appeal_scope', ['unit_id', 'filed_year', 'kind'], unique=False)

    op.create_table('policy_interpretation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('published_date', sa.Date(), nullable=False),
    sa.Column('published_year', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_policy_interpretation_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_policy_interpretation_publication_id_publication')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_policy_interpretation_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_interpretation'))
    )
    with op.batch_alter_table('policy_interpretation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_interpretation_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_policy_interpretation_unit_id'), ['unit_id'], unique=False)

    op.create_table('request_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.CheckConstraint("kind IN ('correction', 'third_party')", name=op.f('ck_request_pause_kind')),
    sa.ForeignKeyConstraint(['request_id'], ['disclosure_request.id'], name=op.f('fk_request_pause_request_id_disclosure_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_pause'))
    )
    with op.batch_alter_table('request_pause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_pause_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_pause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_pause_request_id'))

    op.drop_table('request_pause')
    with op.batch_alter_table('policy_interpretation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_interpretation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_policy_interpretation_batch_id'))

    op.drop_table('policy_interpretation')
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.drop_index('ix_appeal_scope')
        batch_op.drop_index(batch_op.f('ix_appeal_batch_id'))

    op.drop_table('appeal')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_index('ix_publication_stats')
        batch_op.drop_index(batch_op.f('ix_publication_batch_id'))

    op.drop_table('publication')
    with op.batch_alter_table('project_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_project_progress_scope')
        batch_op.drop_index(batch_op.f('ix_project_progress_batch_id'))

    op.drop_table('project_progress')
    with op.batch_alter_table('hotline_duty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotline_duty_unit_id'))
        batch_op.drop_index(batch_op.f('ix_hotline_duty_batch_id'))

    op.drop_table('hotline_duty')
    with op.batch_alter_table('disclosure_request', schema=None) as batch_op:
        batch_op.drop_index('ix_disclosure_request_scope')
        batch_op.drop_index(batch_op.f('ix_disclosure_request_batch_id'))

    op.drop_table('disclosure_request')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_batch_id'))

    op.drop_table('delivery')
    with op.batch_alter_table('board_update', schema=None) as batch_op:
        batch_op.drop_index('ix_board_update_board_date')
        batch_op.drop_index(batch_op.f('ix_board_update_batch_id'))

    op.drop_table('board_update')
    with op.batch_alter_table('upload_batch', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_batch_scope')

    op.drop_table('upload_batch')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('screen_slide')
    op.drop_table('project')
    op.drop_table('board')
    op.drop_table('app_user')
    op.drop_table('annual_target')
    op.drop_table('workday_override')
    op.drop_table('topic')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_unit_parent_id'))

    op.drop_table('org_unit')
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_parent_id'))

    op.drop_table('category')
    op.drop_table('app_meta')
