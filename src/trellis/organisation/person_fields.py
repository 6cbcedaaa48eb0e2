"""The fields of a person, declared once: what the import reads, compares and writes, how long each
text may be, and what a new person needs. Pure Python: no Django.

The people models take their ``max_length`` from `MAX_LENGTHS`, the import's columns and the
preview's order come from `FIELDS`, and the services write the fields the declaration names; a
field added here is added everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PersonField:
    """A field of a person that a column of an HRIS export can fill."""

    key: str
    label: str
    help_text: str
    #: Header names (normalised: lower case, words separated by one space) that mean this field.
    synonyms: tuple[str, ...]
    #: The longest text stored (None: not stored as text).
    max_length: int | None = None
    #: What a new person lacks without it, as a sentence names it ("a job family"); "" when a
    #: new person may do without it.
    needed_to_create: str = ""
    #: Whether an update compares it with the stored value and writes it when it differs (the
    #: employee ID matches rows and is never changed; the manager is a reporting line, compared
    #: and written on its own).
    compared: bool = True
    #: Whether a new person's preview lists it (the name and employee ID head the row; "active"
    #: is listed only when a new person is not).
    shown_on_create: bool = True
    #: Whether it is part of the person's place in the framework (family, track, level).
    places: bool = False


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


FIELDS: tuple[PersonField, ...] = (
    PersonField(
        "employee_id",
        "Employee ID",
        "The identifier the HR system gives each person; rows are matched to people by it.",
        _names(
            "employee id, employee number, employee no, employee code, emp id, emp no, worker id, "
            "staff id, staff number, personnel number, person id, employeeid, id"
        ),
        max_length=64,
        needed_to_create="an employee ID",
        compared=False,
        shown_on_create=False,
    ),
    PersonField(
        "email",
        "E-mail",
        "Work e-mail address; rows without an employee ID are matched to people by it.",
        _names("email, email address, work email, work email address, business email, company email, mail"),
        max_length=254,
        needed_to_create="an e-mail address",
    ),
    PersonField(
        "full_name",
        "Full name",
        "",
        _names("full name, name, employee name, display name, legal name, preferred name"),
        max_length=200,
        needed_to_create="a full name",
        shown_on_create=False,
    ),
    PersonField(
        "title",
        "Job title",
        "",
        _names("title, job title, position, position title, business title, job name, role"),
        max_length=200,
    ),
    PersonField(
        "team",
        "Team",
        "Teams that do not exist yet are created.",
        _names(
            "team, team name, department, dept, org unit, organisational unit, organizational unit, "
            "group, squad"
        ),
        max_length=120,
    ),
    PersonField(
        "family_id",
        "Job family",
        "The family's id or name in the published framework.",
        _names("job family, family, function, job function, role cluster, career family"),
        needed_to_create="a job family",
        places=True,
    ),
    PersonField(
        "track_id",
        "Track",
        "The track's id or name; may be left out where the level is on one track only.",
        _names("track, career track, ladder, career path, path"),
        places=True,
    ),
    PersonField(
        "level_code",
        "Level",
        "The level's code in the published framework, such as IC3.",
        _names("level, level code, job level, career level, grade, job grade, band"),
        needed_to_create="a level",
        places=True,
    ),
    PersonField(
        "level_since",
        "At this level since",
        "Date (YYYY-MM-DD). For a new person it defaults to the hire date.",
        _names(
            "level since, at this level since, in level since, level start, level start date, level date, "
            "level effective date, promotion date, last promotion date, date of last promotion"
        ),
    ),
    PersonField(
        "manager",
        "Manager",
        "The manager's employee ID or e-mail address; blank means no manager.",
        _names(
            "manager, manager id, manager employee id, manager employee number, manager email, "
            "line manager, direct manager, reports to, supervisor, supervisor id, supervisor email"
        ),
        compared=False,
        shown_on_create=False,
    ),
    PersonField(
        "hired_on",
        "Hired on",
        "Date (YYYY-MM-DD).",
        _names(
            "hired on, hire date, date hired, date of hire, start date, joined, joining date, "
            "original hire date, employment start date"
        ),
    ),
    PersonField(
        "is_active",
        "Active",
        "yes / no (also true / false, active / inactive); blank keeps a person as they are.",
        _names("active, is active, status, employment status, employee status, active status"),
        shown_on_create=False,
    ),
)
FIELDS_BY_KEY: dict[str, PersonField] = {f.key: f for f in FIELDS}

#: The longest values the people tables accept; the models' ``max_length`` is read from here.
MAX_LENGTHS: dict[str, int] = {f.key: f.max_length for f in FIELDS if f.max_length is not None}
#: What a new person needs; an update needs none of them (a blank cell keeps what is there).
REQUIRED_TO_CREATE: tuple[str, ...] = tuple(f.key for f in FIELDS if f.needed_to_create)
#: The fields an update compares, in the order changes are listed (the manager comes last).
COMPARED: tuple[str, ...] = tuple(f.key for f in FIELDS if f.compared)
#: Every value of a new person besides the manager: the employee ID and the compared fields.
VALUES: tuple[str, ...] = ("employee_id", *COMPARED)
#: What a new person's preview lists, in this order.
SHOWN_ON_CREATE: tuple[str, ...] = tuple(f.key for f in FIELDS if f.shown_on_create)
#: A person's place in the framework.
LEVEL_FIELDS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.places)
