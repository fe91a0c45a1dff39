"""One check per card-writing rule: a card and the rule's threshold in, None or a few words
saying what was found (`41 words`) out. The table of rules is `rules.py`."""

from __future__ import annotations

import re

from ..model import CardKind
from ..sources.formulas import OPEN, PLACEHOLDER
from .cards import Card
from .text import (
    content_words,
    display_rows,
    has_image,
    hidden,
    list_items,
    lowered,
    prose,
    sentences,
    shown_for,
    visible,
    word_set,
    words,
)

_AUXILIARIES = word_set(
    """is are was were am isn't aren't wasn't weren't does do did doesn't don't didn't can
    could can't couldn't should shouldn't would wouldn't will won't shall has have had hasn't
    haven't hadn't may might must"""
)
_YES_NO = word_set("yes no true false yep nope")
_LEAD = re.compile(r"^[\s*_>#\-]*")


def yes_no(card: Card, threshold: float) -> str | None:
    """A question that asks for yes or no, answered so."""
    if card.kind is not CardKind.QUESTION:
        return None
    asked = lowered(card.prompt)[:3]
    answered = lowered(card.answer)[:1]
    true_or_false = asked == ("true", "or", "false")
    if (
        ((asked[:1] and asked[0] in _AUXILIARIES) or true_or_false)
        and answered[:1]
        and (answered[0] in _YES_NO)
    ):
        return f'answered "{words(card.answer)[0]}"'
    return None


def long_answer(card: Card, threshold: float) -> str | None:
    """An answer of more than `threshold` words, or of more than two sentences."""
    if card.kind is not CardKind.QUESTION:
        return None  # an exercise's solution is worked at a desk; a cloze has no answer
    count = len(words(card.answer))
    if count > threshold:
        return f"{count} words"
    said = sum(sentences(paragraph) for paragraph in prose(card.answer).split("\n\n"))
    if said > 2:
        return f"{said} sentences"
    return None


_CLAUSE_END = re.compile(r"[.;:!?]\s|\n\n|\.$")
#: `a, b and c`: short items, separated by commas, the last by "and" or "or".
_SERIES = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def enumeration(card: Card, threshold: float) -> str | None:
    """An answer that lists `threshold` items or more: a list, or `a, b and c`."""
    if card.kind is not CardKind.QUESTION:
        return None
    items = list_items(card.answer)
    if len(items) >= threshold:
        return f"a list of {len(items)} items"
    text = visible(prose(card.answer))
    if "," not in text:
        return None  # no series without a comma
    for clause in _CLAUSE_END.split(text):
        count = _series(clause)
        if count >= threshold:
            return f"{count} items in a row"
    return None


#: Words that start a clause going on, not an item of a list.
_NOT_ITEMS = word_set(
    """with without by for from in on at to into which that who when where because since so
    but their its his her our then as if while whose"""
)


def _series(clause: str) -> int:
    """How many short items a clause lists (`a, b and c` is 3), or 0."""
    if "," not in clause or not re.search(r"\b(?:and|or)\b", clause):
        return 0
    parts = [part.strip() for part in _SERIES.split(clause.strip())]
    parts = [part for part in parts if part]
    if len(parts) < 3:
        return 0
    if not re.search(r",\s*(?:and|or)\s+[^,]*$|\s(?:and|or)\s+[^,]*$", clause.strip()):
        return 0
    items = parts[1:]  # the first item is whatever ends the clause's opening words
    if any(len(words(item)) > 4 for item in items):
        return 0
    if any(item.split()[0].lower() in _NOT_ITEMS for item in items if item.split()):
        return 0  # `$A$, with $Q$ orthogonal and …`: a clause goes on, no list
    return len(parts)


def big_cloze(card: Card, threshold: float) -> str | None:
    """A cloze that hides more than `threshold` words, or more than 40 % of its paragraph (3
    words or more), or a note of more than 5 cloze numbers."""
    if card.kind is not CardKind.CLOZE:
        return None
    numbers = card.cloze_numbers
    if len(numbers) > 5:
        return f"{len(numbers)} cloze numbers"
    total = len(words(card.prompt))
    for cloze in hidden(card.prompt):
        count = len(cloze.words)
        if count > threshold:
            return f"c{cloze.number} hides {count} words"
        if count >= 3 and count > 0.4 * total:
            return f"c{cloze.number} hides {count} of {total} words"
    return None


def give_away(card: Card, threshold: float) -> str | None:
    """The answer's words (a cloze's hidden words) all stand in what the card shows."""
    if card.kind is CardKind.QUESTION:
        answer = card.answer_words
        if not answer or len(answer) > threshold or all(word[0] == "$" for word in answer):
            return None  # a formula alone is notation the question may well name
        shown = set(card.prompt_words)
        if all(word in shown for word in answer):
            return f'"{" ".join(words(card.answer)[:6])}" is in the question'
        return None
    if card.kind is not CardKind.CLOZE:
        return None
    for cloze in hidden(card.prompt):
        secret = content_words(" ".join(cloze.words), card.formulas)
        if not secret or len(secret) > threshold:
            continue
        shown = set(content_words(shown_for(card.prompt, cloze.number), card.formulas))
        if all(word in shown for word in secret):
            return f'c{cloze.number} hides "{" ".join(cloze.words)}", which the card shows'
    return None


#: What a question leans on that the card may not show.
_REFERENCE = re.compile(
    r"\b(?:(?P<figure>fig(?:ure)?s?\.?|table|diagram|plot)|(?P<equation>eq(?:uation)?s?\.?)"
    r"|algorithm|section|chapter|theorem|lemma|example)\s*\(?\d+(?:\.\d+)*\)?"
    r"|(?P<bare>\(\d+\.\d+\))",
    re.IGNORECASE,
)
_CONTEXT = re.compile(
    r"\b(?:the\s+above|(?:as\s+)?(?:shown|seen|defined|given|stated|described|mentioned)\s+above"
    r"|(?:the|this|that)\s+(?:above|previous|preceding|following|last|next)\s+"
    r"(?:section|chapter|paragraph|page|example|equation|figure|formula|expression|slide|"
    r"card|question|definition|result|proof|algorithm|table|passage|sentence)"
    r"|(?:this|that)\s+(?:section|chapter|paragraph|page|figure|equation|slide|passage|book|"
    r"paper|lecture|text|excerpt)"
    r"|(?:equation|figure|formula|expression|table|diagram|example)\s+(?:above|below))\b",
    re.IGNORECASE,
)
_FIGURE_WORDS = re.compile(r"fig|table|diagram|plot")
_FORMULA_WORDS = re.compile(r"eq|formula|expression|^\(")
_CONTEXT_WORDS = (
    *("above", "previous", "preceding", "following", "last", "next", "below", "this", "that"),
)
_DIGIT = re.compile(r"\d")
_QUESTION_WORDS = word_set("what why how when where which who whom whose")
_PRONOUNS = word_set("it this these they them those")
_DEMONSTRATIVES = word_set("this these those")
#: `it` that refers to nothing: "What does it mean for a matrix to be singular?"
_DUMMY_IT = re.compile(
    r"\b(?:does|do|did|is|was|would|will|can)\s+it\s+(?:mean|means|take|takes|matter|hold|"
    r"follow|cost|true|possible|called|necessary|important|the\s+case)\b"
    r"|\bit\s+(?:is|was)\s+(?:possible|true|necessary|called|important|useful|the\s+case)\b"
    r"|\bis\s+it\s+that\b",
    re.IGNORECASE,
)


def dangling(card: Card, threshold: float) -> str | None:
    """A question (or cloze) that leans on a figure, an equation, the text around it or a
    pronoun with nothing on the card to refer to."""
    if card.kind is CardKind.EXERCISE:
        return None
    text = visible(card.prompt)
    plain = PLACEHOLDER.sub(" ", text) if OPEN in text else text
    low = plain.lower()
    reference = _REFERENCE.search(plain) if _may_refer(plain, low) else None
    context = _CONTEXT.search(plain) if any(word in low for word in _CONTEXT_WORDS) else None
    for found in (reference, context):
        if found is None:
            continue
        said = found.group().lower()
        if (_FIGURE_WORDS.search(said) and _shows_figure(card)) or (
            _FORMULA_WORDS.search(said) and _shows_formula(card)
        ):
            continue  # "this figure" with the figure on the card
        return f'"{found.group().strip()}"'
    pronoun = _leading_pronoun(text)
    if pronoun is None or _DUMMY_IT.search(plain):
        return None
    if pronoun in _DEMONSTRATIVES and (_shows_figure(card) or _shows_formula(card)):
        return None  # "What does this figure show?" above the figure
    return f'"{pronoun}"'


def _may_refer(plain: str, low: str) -> bool:
    """Whether `_REFERENCE` may match: a digit, and (in ASCII text, where lower case is plain)
    one of its words or a `(`."""
    if not _DIGIT.search(plain):
        return False
    return not plain.isascii() or "(" in plain or any(word in low for word in _REFERRING)


#: The words `_REFERENCE` starts with, in lower case.
_REFERRING = (
    *("fig", "table", "diagram", "plot", "eq", "algorithm", "section", "chapter", "theorem"),
    *("lemma", "example"),
)


def _leading_pronoun(text: str) -> str | None:
    """A pronoun that comes before any word of substance ("What does it return?")."""
    for word in lowered(text):
        if word[0] == OPEN:
            return None
        if word in _PRONOUNS:
            return word
        if word in _QUESTION_WORDS or word in _AUXILIARIES or word in ("in", "of", "for", "to"):
            continue
        return None
    return None


def _shows_figure(card: Card) -> bool:
    return has_image(card.prompt) or has_image(card.answer)


def _shows_formula(card: Card) -> bool:
    """Whether the question shows a displayed formula."""
    numbers = PLACEHOLDER.findall(card.prompt) if OPEN in card.prompt else ()
    return any(card.formulas[int(n)].display for n in numbers)


_VAGUE = re.compile(
    r"^(?:explain|describe|discuss|elaborate|summari[sz]e|comment\s+on|talk\s+about|"
    r"tell\s+me\s+(?:about|everything)|what\s+about|how\s+about|thoughts\s+on|"
    r"what\s+(?:do|can)\s+you\s+(?:know|say)|what\s+is\s+there\s+to\s+(?:know|say)|"
    r"write\s+about|everything\s+about|notes?\s+on|overview\s+of)\b",
    re.IGNORECASE,
)
#: Instructions that ask one precise thing, as a question does.
_PRECISE = word_set(
    """give name list state define write compute calculate derive prove show find expand
    simplify solve complete fill translate convert express evaluate differentiate integrate
    sketch draw recall identify spell say classify estimate determine predict rewrite
    complete count"""
)


def vague(card: Card, threshold: float) -> str | None:
    """`Explain …`, `Describe …`, `What about …`, or no question at all."""
    if card.kind is not CardKind.QUESTION:
        return None
    text = _LEAD.sub("", PLACEHOLDER.sub("x", visible(card.prompt))).strip()
    found = _VAGUE.match(text)
    if found is not None:
        return f'"{found.group()} …"'
    said = lowered(card.prompt)
    if not said:
        return "no question"
    if said[0] in _PRECISE or said[0] in _QUESTION_WORDS or said[0] in _AUXILIARIES:
        return None  # it asks
    # A few words and a question mark ask nothing ("Softmax?"), unless a formula is what is
    # asked about ("$\int_0^1 x^2\,dx$?").
    drill = any(word[0] == OPEN for word in said)
    if "?" not in text or (len(said) <= 3 and not drill):
        return "no question"
    return None


def long_question(card: Card, threshold: float) -> str | None:
    """A question of more than `threshold` words."""
    if card.kind is not CardKind.QUESTION:
        return None
    count = len(words(card.prompt))
    return f"{count} words" if count > threshold else None


def desk_card(card: Card, threshold: float) -> str | None:
    """An On-the-go question whose answer is `threshold` rows of display math or more."""
    if card.kind is not CardKind.QUESTION:
        return None
    rows = display_rows(card.answer, card.formulas)
    return f"{rows} rows of display math" if rows >= threshold else None


_TIME_WORDS = re.compile(
    r"\b(?:state[\s-]of[\s-]the[\s-]art|SOTA|currently|current\s+best|nowadays|these\s+days|"
    r"to\s+date|as\s+of\s+now|at\s+present|presently|most\s+recent|latest|recently|"
    r"best[\s-]performing|best\s+(?:known\s+)?(?:model|method|result|results|architecture|"
    r"accuracy|score|system)s?)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def unstamped(card: Card, threshold: float) -> str | None:
    """Time-sensitive words ("state of the art", "currently") on a card without a year."""
    text = PLACEHOLDER.sub(" ", visible(f"{card.prompt}\n{card.answer}"))
    found = _TIME_WORDS.search(text)
    if found is None or _YEAR.search(text):
        return None
    return f'"{found.group()}"'
