"""Contains all the data models used in inputs/outputs"""

from .api_key_create import ApiKeyCreate
from .api_key_create_api_version_type_0 import ApiKeyCreateApiVersionType0
from .api_key_create_scopes_item import ApiKeyCreateScopesItem
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .audit_entry_public import AuditEntryPublic
from .audit_entry_public_changes_type_0 import AuditEntryPublicChangesType0
from .auth_spec import AuthSpec
from .auth_spec_mode import AuthSpecMode
from .band import Band
from .breaker_settings import BreakerSettings
from .challenger_public import ChallengerPublic
from .challenger_request import ChallengerRequest
from .challenger_result import ChallengerResult
from .challenger_results import ChallengerResults
from .change import Change
from .change_entity import ChangeEntity
from .dead_letter_public import DeadLetterPublic
from .dead_letter_public_event import DeadLetterPublicEvent
from .deltas import Deltas
from .dependency_health import DependencyHealth
from .dependency_health_status import DependencyHealthStatus
from .difference import Difference
from .difference_kind import DifferenceKind
from .export_audit_log_format import ExportAuditLogFormat
from .field_mapping_input import FieldMappingInput
from .field_mapping_input_args import FieldMappingInputArgs
from .field_mapping_output import FieldMappingOutput
from .field_mapping_output_args import FieldMappingOutputArgs
from .flow_export import FlowExport
from .flow_timeline import FlowTimeline
from .flow_version_create import FlowVersionCreate
from .flow_version_public import FlowVersionPublic
from .flow_version_public_status import FlowVersionPublicStatus
from .flow_version_public_steps_item import FlowVersionPublicStepsItem
from .flow_version_published import FlowVersionPublished
from .flow_version_published_status import FlowVersionPublishedStatus
from .flow_version_published_steps_item import FlowVersionPublishedStepsItem
from .health_report import HealthReport
from .health_report_circuit_breakers_type_0 import HealthReportCircuitBreakersType0
from .health_report_circuit_breakers_type_0_additional_property import (
    HealthReportCircuitBreakersType0AdditionalProperty,
)
from .health_report_dependencies_type_0 import HealthReportDependenciesType0
from .health_report_status import HealthReportStatus
from .impact_filter import ImpactFilter
from .impact_filter_status_item import ImpactFilterStatusItem
from .impact_group import ImpactGroup
from .impact_group_key import ImpactGroupKey
from .impact_request import ImpactRequest
from .impact_run_public import ImpactRunPublic
from .impact_run_public_status import ImpactRunPublicStatus
from .impact_summary import ImpactSummary
from .import_diff import ImportDiff
from .import_request import ImportRequest
from .import_result import ImportResult
from .import_result_published import ImportResultPublished
from .largest_change import LargestChange
from .list_transactions_status_type_0 import ListTransactionsStatusType0
from .liveness import Liveness
from .mapping_base import MappingBase
from .mapping_base_direction import MappingBaseDirection
from .mapping_input import MappingInput
from .mapping_input_direction import MappingInputDirection
from .mapping_output import MappingOutput
from .mapping_output_direction import MappingOutputDirection
from .mapping_preview import MappingPreview
from .mapping_preview_document import MappingPreviewDocument
from .mapping_preview_request import MappingPreviewRequest
from .mapping_preview_request_sample import MappingPreviewRequestSample
from .mapping_public import MappingPublic
from .mapping_public_direction import MappingPublicDirection
from .me_public import MePublic
from .page_audit_entry_public import PageAuditEntryPublic
from .page_audit_entry_public_links import PageAuditEntryPublicLinks
from .page_transaction_summary import PageTransactionSummary
from .page_transaction_summary_links import PageTransactionSummaryLinks
from .plan_limits import PlanLimits
from .problem import Problem
from .product_create import ProductCreate
from .product_create_engine_tables_type_0 import ProductCreateEngineTablesType0
from .product_create_engine_tables_type_0_additional_property import ProductCreateEngineTablesType0AdditionalProperty
from .product_create_request_schema_type_0 import ProductCreateRequestSchemaType0
from .product_export import ProductExport
from .product_public import ProductPublic
from .product_public_engine_tables_type_0 import ProductPublicEngineTablesType0
from .product_public_engine_tables_type_0_additional_property import ProductPublicEngineTablesType0AdditionalProperty
from .product_public_request_schema_type_0 import ProductPublicRequestSchemaType0
from .product_write import ProductWrite
from .product_write_engine_tables_type_0 import ProductWriteEngineTablesType0
from .product_write_engine_tables_type_0_additional_property import ProductWriteEngineTablesType0AdditionalProperty
from .product_write_request_schema_type_0 import ProductWriteRequestSchemaType0
from .progress import Progress
from .publish_request import PublishRequest
from .quarantine_public import QuarantinePublic
from .quarantine_public_details_type_0 import QuarantinePublicDetailsType0
from .rate_accepted import RateAccepted
from .rate_accepted_status import RateAcceptedStatus
from .rate_body import RateBody
from .rate_response import RateResponse
from .rate_response_mode import RateResponseMode
from .rate_response_status import RateResponseStatus
from .readiness import Readiness
from .readiness_status import ReadinessStatus
from .replay_accepted import ReplayAccepted
from .replay_accepted_status import ReplayAcceptedStatus
from .rerate_request import RerateRequest
from .rerate_result import RerateResult
from .rerate_result_status import RerateResultStatus
from .retry_spec import RetrySpec
from .rule import Rule
from .rule_action import RuleAction
from .rule_action_table_type_0 import RuleActionTableType0
from .rule_action_type import RuleActionType
from .rule_base import RuleBase
from .rule_base_phase import RuleBasePhase
from .rule_base_scope import RuleBaseScope
from .rule_checked import RuleChecked
from .rule_phase import RulePhase
from .rule_public import RulePublic
from .rule_public_phase import RulePublicPhase
from .rule_public_scope import RulePublicScope
from .rule_scope import RuleScope
from .run_error_public import RunErrorPublic
from .run_error_public_details import RunErrorPublicDetails
from .step_draft import StepDraft
from .step_draft_config import StepDraftConfig
from .step_draft_onerror import StepDraftOnerror
from .step_error import StepError
from .step_error_details import StepErrorDetails
from .step_record import StepRecord
from .step_record_detail import StepRecordDetail
from .step_record_status import StepRecordStatus
from .step_type_public import StepTypePublic
from .step_type_public_configschema import StepTypePublicConfigschema
from .system_create import SystemCreate
from .system_create_kind import SystemCreateKind
from .system_create_protocol import SystemCreateProtocol
from .system_public import SystemPublic
from .system_write import SystemWrite
from .system_write_kind import SystemWriteKind
from .system_write_protocol import SystemWriteProtocol
from .timeline_entry import TimelineEntry
from .timeline_warning import TimelineWarning
from .timeline_warning_kind import TimelineWarningKind
from .transaction_public import TransactionPublic
from .transaction_public_mode import TransactionPublicMode
from .transaction_public_status import TransactionPublicStatus
from .transaction_summary import TransactionSummary
from .transaction_summary_mode import TransactionSummaryMode
from .transaction_summary_status import TransactionSummaryStatus

__all__ = (
    "ApiKeyCreate",
    "ApiKeyCreateApiVersionType0",
    "ApiKeyCreated",
    "ApiKeyCreateScopesItem",
    "ApiKeyPublic",
    "AuditEntryPublic",
    "AuditEntryPublicChangesType0",
    "AuthSpec",
    "AuthSpecMode",
    "Band",
    "BreakerSettings",
    "ChallengerPublic",
    "ChallengerRequest",
    "ChallengerResult",
    "ChallengerResults",
    "Change",
    "ChangeEntity",
    "DeadLetterPublic",
    "DeadLetterPublicEvent",
    "Deltas",
    "DependencyHealth",
    "DependencyHealthStatus",
    "Difference",
    "DifferenceKind",
    "ExportAuditLogFormat",
    "FieldMappingInput",
    "FieldMappingInputArgs",
    "FieldMappingOutput",
    "FieldMappingOutputArgs",
    "FlowExport",
    "FlowTimeline",
    "FlowVersionCreate",
    "FlowVersionPublic",
    "FlowVersionPublicStatus",
    "FlowVersionPublicStepsItem",
    "FlowVersionPublished",
    "FlowVersionPublishedStatus",
    "FlowVersionPublishedStepsItem",
    "HealthReport",
    "HealthReportCircuitBreakersType0",
    "HealthReportCircuitBreakersType0AdditionalProperty",
    "HealthReportDependenciesType0",
    "HealthReportStatus",
    "ImpactFilter",
    "ImpactFilterStatusItem",
    "ImpactGroup",
    "ImpactGroupKey",
    "ImpactRequest",
    "ImpactRunPublic",
    "ImpactRunPublicStatus",
    "ImpactSummary",
    "ImportDiff",
    "ImportRequest",
    "ImportResult",
    "ImportResultPublished",
    "LargestChange",
    "ListTransactionsStatusType0",
    "Liveness",
    "MappingBase",
    "MappingBaseDirection",
    "MappingInput",
    "MappingInputDirection",
    "MappingOutput",
    "MappingOutputDirection",
    "MappingPreview",
    "MappingPreviewDocument",
    "MappingPreviewRequest",
    "MappingPreviewRequestSample",
    "MappingPublic",
    "MappingPublicDirection",
    "MePublic",
    "PageAuditEntryPublic",
    "PageAuditEntryPublicLinks",
    "PageTransactionSummary",
    "PageTransactionSummaryLinks",
    "PlanLimits",
    "Problem",
    "ProductCreate",
    "ProductCreateEngineTablesType0",
    "ProductCreateEngineTablesType0AdditionalProperty",
    "ProductCreateRequestSchemaType0",
    "ProductExport",
    "ProductPublic",
    "ProductPublicEngineTablesType0",
    "ProductPublicEngineTablesType0AdditionalProperty",
    "ProductPublicRequestSchemaType0",
    "ProductWrite",
    "ProductWriteEngineTablesType0",
    "ProductWriteEngineTablesType0AdditionalProperty",
    "ProductWriteRequestSchemaType0",
    "Progress",
    "PublishRequest",
    "QuarantinePublic",
    "QuarantinePublicDetailsType0",
    "RateAccepted",
    "RateAcceptedStatus",
    "RateBody",
    "RateResponse",
    "RateResponseMode",
    "RateResponseStatus",
    "Readiness",
    "ReadinessStatus",
    "ReplayAccepted",
    "ReplayAcceptedStatus",
    "RerateRequest",
    "RerateResult",
    "RerateResultStatus",
    "RetrySpec",
    "Rule",
    "RuleAction",
    "RuleActionTableType0",
    "RuleActionType",
    "RuleBase",
    "RuleBasePhase",
    "RuleBaseScope",
    "RuleChecked",
    "RulePhase",
    "RulePublic",
    "RulePublicPhase",
    "RulePublicScope",
    "RuleScope",
    "RunErrorPublic",
    "RunErrorPublicDetails",
    "StepDraft",
    "StepDraftConfig",
    "StepDraftOnerror",
    "StepError",
    "StepErrorDetails",
    "StepRecord",
    "StepRecordDetail",
    "StepRecordStatus",
    "StepTypePublic",
    "StepTypePublicConfigschema",
    "SystemCreate",
    "SystemCreateKind",
    "SystemCreateProtocol",
    "SystemPublic",
    "SystemWrite",
    "SystemWriteKind",
    "SystemWriteProtocol",
    "TimelineEntry",
    "TimelineWarning",
    "TimelineWarningKind",
    "TransactionPublic",
    "TransactionPublicMode",
    "TransactionPublicStatus",
    "TransactionSummary",
    "TransactionSummaryMode",
    "TransactionSummaryStatus",
)
