import pytest
from django.core.exceptions import ValidationError

from balie.core.text import normalize
from balie.core.validators import validate_plain_text


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "Jan <b>", "a > b", "&#60;x", "javascript:x"])
def test_plain_text_refuses_markup(value):
    with pytest.raises(ValidationError):
        validate_plain_text(value)


def test_plain_text_accepts_names_with_accents_and_apostrophes():
    validate_plain_text("D'Hondt-Sélis")


def test_normalize_strips_accents_case_and_spaces():
    assert normalize("  Dé Wìlde,  Ann ") == "de wilde ann"
