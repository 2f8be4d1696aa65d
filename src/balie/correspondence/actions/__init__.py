"""Every change to the post register: registering, routing, working and answering items, linking
them, their documents and dispatches. One transaction each, an audit record, a line in the item's
history, a domain event.

Register numbers: everything that can be refused is checked first, files are written before the
transaction opens, and the number is taken last, inside the registering transaction: a refused
registration takes no number, and one that fails after taking it gives it back with the rollback
(`core.numbering`). So the register stays gap-free.
"""

from .base import answer_deadline
from .dispatch import record_dispatch, record_dispatch_state
from .handlers import move_post_items_to_survivor, release_post_items_of_case
from .letters import acknowledge_with_letter, answer_with_letter, write_letter
from .links import add_document, attach_letter, link_case, link_contact_moment, register_acknowledgement
from .register import register_incoming, register_outgoing
from .routing import (
    answer,
    assign,
    change_status,
    complete_details,
    file_item,
    register_answer,
    start_treatment,
    update_details,
)
from .scanback import attach_signed_copy, returned_letter_of

__all__ = [
    "acknowledge_with_letter",
    "add_document",
    "answer",
    "answer_deadline",
    "answer_with_letter",
    "assign",
    "attach_letter",
    "attach_signed_copy",
    "change_status",
    "complete_details",
    "file_item",
    "link_case",
    "link_contact_moment",
    "move_post_items_to_survivor",
    "record_dispatch",
    "record_dispatch_state",
    "register_acknowledgement",
    "register_answer",
    "register_incoming",
    "register_outgoing",
    "release_post_items_of_case",
    "returned_letter_of",
    "start_treatment",
    "update_details",
    "write_letter",
]
