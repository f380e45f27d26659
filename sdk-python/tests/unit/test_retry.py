import pytest

from resonant_events._retry import is_idempotent, parse_retry_after, retry_delay_seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, None), ("3", 3.0), (" 0.5 ", 0.5), ("-4", 0.0), ("soon", None), ("nan", None)],
)
def test_reads_retry_after_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


def test_reads_retry_after_as_an_http_date():
    assert parse_retry_after("Wed, 21 Oct 2026 07:28:10 GMT", now=1792567680.0) == pytest.approx(10.0)


def test_waits_what_retry_after_says_capped_at_30_seconds():
    assert retry_delay_seconds(0, 2.0) == 2.0
    assert retry_delay_seconds(3, 0.0) == 0.0
    assert retry_delay_seconds(0, 3600.0) == 30.0


def test_backs_off_exponentially_without_retry_after():
    assert [retry_delay_seconds(attempt, None) for attempt in range(4)] == [0.25, 0.5, 1.0, 2.0]
    assert retry_delay_seconds(20, None) == 30.0


def test_only_methods_safe_to_repeat_are_idempotent():
    assert [m for m in ("GET", "POST", "PATCH", "DELETE") if is_idempotent(m)] == ["GET", "PATCH", "DELETE"]
