import re

from resonant_events import Event, new_event_id, parse_event
from resonant_events.errors import ConflictError, InvalidRequestError, NotFoundError, RateLimitError, error_for
from resonant_events.models import EVENT_MODELS, EVENT_TYPES, AgentUpdatedEvent, SessionCompletedEvent

ENVELOPE = {
    "id": "evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB",
    "created_at": "2026-02-21T03:27:00.123Z",
    "metadata": {"organization_id": "org_789"},
}


def test_every_type_has_its_model():
    assert set(EVENT_MODELS) == set(EVENT_TYPES)
    assert len(EVENT_TYPES) == 25


def test_parses_a_known_type_into_its_model_with_typed_data():
    data = {
        "session_id": "sess_123",
        "agent_id": "agent_456",
        "status": "completed",
        "steps": 5,
        "duration_ms": 12345,
        "tokens_used": 2500,
    }
    event = parse_event({**ENVELOPE, "type": "session.completed", "data": data})
    assert isinstance(event, SessionCompletedEvent)
    assert event.data.tokens_used == 2500
    assert event.created_at.isoformat() == "2026-02-21T03:27:00.123000+00:00"
    # Printed as the guide prints payloads: a dict.
    assert str(event.data) == str(data)


def test_nested_records_and_json_values():
    event = parse_event(
        {
            **ENVELOPE,
            "type": "agent.updated",
            "data": {
                "agent_id": "agent_123",
                "changes": {"name": {"old": "Old Name", "new": None}},
                "updated_by": "user_456",
            },
        }
    )
    assert isinstance(event, AgentUpdatedEvent)
    assert event.data.changes["name"].old == "Old Name"
    assert event.data.changes["name"].new is None


def test_an_unknown_type_keeps_its_data_as_a_dict():
    event = parse_event({**ENVELOPE, "type": "webhook.test", "data": {"webhook_id": "wh_1"}})
    assert isinstance(event, Event)
    assert not isinstance(event, tuple(EVENT_MODELS.values()))
    assert event.data == {"webhook_id": "wh_1"}


def test_a_payload_of_a_newer_schema_is_read_rather_than_lost():
    event = parse_event({**ENVELOPE, "type": "session.completed", "data": {"session_id": "s"}})
    assert event.type == "session.completed"
    assert event.data == {"session_id": "s"}


def test_new_event_ids_are_accepted_by_the_api_rule_and_sort_by_time():
    ids = [new_event_id() for _ in range(3)]
    assert all(re.fullmatch(r"evt_[0-9A-Z]{26}", i) for i in ids)
    assert len(set(ids)) == 3


def test_errors_are_typed_by_code():
    assert isinstance(error_for(404, {"error": {"code": "not_found", "message": "x"}}), NotFoundError)
    assert isinstance(error_for(409, {"error": {"code": "conflict", "message": "x"}}), ConflictError)
    assert isinstance(error_for(409, {"error": {"code": "limit_reached", "message": "x"}}), InvalidRequestError)
    assert isinstance(
        error_for(429, {"error": {"code": "rate_limited", "message": "x"}}, retry_after_seconds=2), RateLimitError
    )
    error = error_for(
        400,
        {
            "error": {
                "code": "invalid_request",
                "message": "bad",
                "details": [{"field": "events[1].data.steps", "message": "must be a whole number", "index": 1}],
            }
        },
    )
    assert (error.status, error.code, error.details[0].field, error.details[0].index) == (
        400,
        "invalid_request",
        "events[1].data.steps",
        1,
    )
    assert str(error) == "400 invalid_request: bad (events[1].data.steps: must be a whole number)"
    assert error_for(502, "<html>").code == "internal_error"
