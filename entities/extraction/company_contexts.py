"""What the words around a capitalised run say it names: a company, a news medium or a state body.

The nouns that follow a company's name ("the Zentova plant", "Zentova’s
products"), the verbs companies are the subject of ("Zentova opened ...",
"will build"), the phrases whose object is a company ("an agreement with X")
or a medium ("told X", "Source: X"), and appositions (", a member of the
cluster"). ``context_kind`` reads them around one run of tokens.
"""

import re

from entities.extraction.text import Sentence, Token

# Nouns that say the name before them is a company's: "the Zentova plant",
# "Orvel pharmaceutical company", "Zentova’s plant".
_COMPANY_THINGS = frozenset(
    [
        "company",
        "companies",
        "group",
        "holding",
        "plant",
        "plants",
        "factory",
        "factories",
        "facility",
        "facilities",
        "site",
        "manufacturer",
        "producer",
        "corporation",
        "concern",
        "enterprise",
        "subsidiary",
        "subsidiaries",
        "brand",
        "brands",
        "products",
        "product",
        "drugs",
        "drug",
        "portfolio",
        "shareholders",
        "shareholder",
        "production",
        "capacity",
        "capacities",
        "investment",
        "investments",
        "project",
        "projects",
        "management",
        "ceo",
        "headquarters",
        "office",
        "offices",
        "laboratory",
        "laboratories",
        "line",
        "lines",
        "warehouse",
        "medicines",
        "vaccine",
        "vaccines",
    ]
)
# Of those, the ones that also follow a name without "’s": "the Zentova plant"
# ("TB vaccines" and "HIV drugs" name diseases, not companies).
_FACILITIES = _COMPANY_THINGS - {
    "products", "product", "drugs", "drug", "medicines", "vaccine", "vaccines", "portfolio",
    "investment", "investments", "project", "projects", "production", "line", "lines",
    "capacity", "capacities", "brand", "brands",
}  # fmt: skip
# Lower-case words after a name that make it a news medium's: "the Okta information agency".
MEDIA_AFTER = re.compile(
    r"\s+(?P<descriptor>(?:news|information|press)\s+agency|agency|newspaper|magazine"
    r"|news\s+portal|portal|TV\s+channel|journal)\b"
)
# Verbs that report: "Okta.ru reports", after a name with a web domain.
_MEDIA_VERBS = frozenset({"reports", "reported", "writes", "wrote", "informs", "informed"})
_MEDIA_PRESENT = frozenset({"reports", "writes", "informs"})
# Russian state bodies named by the usual stems: "Rosfarmnadzor", "Minmedtorg".
_STATE_BODY_WORD = re.compile(
    r"^(?:Ros|Min)[a-z]{3,}(?:nadzor|torg|zdrav|stat|trud|fin|ek)$|nadzor$"
)
# Lower-case words that may stand between the name and such a noun.
_DESCRIPTORS = frozenset(
    [
        "pharmaceutical",
        "pharmaceuticals",
        "biopharmaceutical",
        "biotech",
        "biotechnology",
        "medical",
        "international",
        "investment",
        "chemical",
        "new",
        "own",
        "production",
        "manufacturing",
        "insulin",
        "vaccine",
        "russian",
        "foreign",
        "global",
        "local",
        "joint",
        "venture",
    ]
)
# Verbs (and their forms) that companies are the subject of.
_COMPANY_VERBS = re.compile(
    r"^(?:open|launch|commission|build|built|construct|produc|manufactur|invest|co-invest"
    r"|acquir|registe|suppl|export|employ|operat|own|develop|select|chose|sign|start|began"
    r"|begin|intend|plan|aim|continu|proceed|expand|locali[sz]|make|made|sell|sold|establish"
    r"|creat|complet|receiv|enter|join|announc|implement|modernis|moderniz|releas|ship"
    r"|manag|achiev|increas|boost|doubl|launch|found|updat|upgrad|report|announc)"
)
# Those of them that people do not do: they tell a company from a person's name.
_ONLY_COMPANY_VERBS = re.compile(
    r"^(?:produc|manufactur|employ|export|suppl|locali[sz]|commission|acquir)"
)
# Auxiliaries and adverbs between the name and such a verb: "will build", "has started".
_AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "has",
        "have",
        "had",
        "plans",
        "intends",
        "to",
        "also",
        "already",
        "now",
        "currently",
        "recently",
        "just",
        "still",
        "further",
        "successfully",
        "jointly",
    ]
)
# Phrases whose object is a company: "an agreement with X", "the factory of X".
_BEFORE = re.compile(
    r"(?:(?:agreement|contract|partnership|cooperation|collaboration|deal|memorandum|jointly)"
    r"\s+with|(?:factory|plant|facility|site|subsidiary|division|shareholder|owner|products?"
    r"|brand|investor|resident|residents|members?)\s+of|acquired\s+by|owned\s+by|produced\s+by"
    r"|manufactured\s+by|developed\s+by|made\s+by|supplied\s+by|(?<=-)based|companies\s+such\s+as|companies"
    r"|company|manufacturers?|producers?|enterprises|residents?|investors?|group"
    r"|partners?|brands?|holding)\s*[:,]?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# Phrases whose object is a news medium: "told Okta", "Source: Okta".
_MEDIA_BEFORE = re.compile(
    r"(?:\btold|\binformed|\breported\s+to|\bsource\s*:|\bquoted\s+by|\bcited\s+by"
    r"|\bnews\s+agency|\bagency|\bnewspaper|\bmagazine|\bpublished\s+(?:in|by))\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# ", a member of ...", ", Hong Kong, an international investment company".
_APPOSITION = re.compile(
    r"^\s*(?:\([^)]{0,60}\)\s*)?,\s+(?:[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2},\s+)?"
    r"(?:the|a|an|one\s+of\s+the)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:company|companies|manufacturer|producer|developer|subsidiary|member|resident"
    r"|investor|holding|group|distributor|supplier|leader|maker|site)\b"
)
# Quotation marks around a name, passed over when reading the words after it.
_QUOTES = frozenset({"«", "»", "“", "”", '"', "„"})


def context_kind(sentence: Sentence, tokens: list[Token], run: tuple[int, int]) -> str | None:
    """ "company" or "media" when the words around the run say so, else None."""
    start, end = run
    # Quotes around the name do not change its context: "the company «Zentova» opened".
    # Only the words right before it matter (and a long sentence stays linear).
    at = tokens[start].start - sentence.start
    written = sentence.text[max(0, at - 80) : at]
    before = written.rstrip('«“"„ ')
    if before != written:
        before += " "
    if _MEDIA_BEFORE.search(before):
        return "media"
    after = [token.lower for token in tokens[end : end + 9] if token.text not in _QUOTES]
    last = tokens[end - 1].text
    following_text = sentence.text[tokens[end - 1].end - sentence.start :]
    # "..., Okta reports" (an agency's present tense), "Okta.ru reported".
    reports = after[:1] and (
        after[0] in _MEDIA_PRESENT or ("." in last and after[0] in _MEDIA_VERBS)
    )
    if MEDIA_AFTER.match(following_text) or reports:
        return "media"
    if end - start == 1 and _STATE_BODY_WORD.search(last):
        return "government"
    if last.endswith(("’s", "'s")):
        # "Zentova’s plant"
        following = [word for word in after if word not in _DESCRIPTORS]
        return "company" if following and following[0] in _COMPANY_THINGS else None
    # "the Zentova plant", "Orvel pharmaceutical company"
    words = [word for word in after[:3] if word not in _DESCRIPTORS]
    if words and words[0] in _FACILITIES and after[0] != "and":
        return "company"
    if _verb_follows(after):
        return "company"
    # "Zentova has an old factory", "Orvel owns two plants"
    if after[:1] and after[0] in {"has", "had", "owns", "runs"} and _FACILITIES & set(after[1:5]):
        return "company"
    if _BEFORE.search(before):
        return "company"
    if _APPOSITION.match(sentence.text[tokens[end - 1].end - sentence.start :]):
        return "company"
    return None


def _verb_follows(after: list[str], verbs: re.Pattern = _COMPANY_VERBS) -> bool:
    """Whether a company verb follows: "opened", "will build", "(its ...) produces"."""
    words = list(after)
    if words[:1] == ["("]:
        # "Zentova (its brand is Orvel) produces": skip the remark.
        closing = words.index(")") if ")" in words else len(words)
        words = words[closing + 1 :]
    auxiliary = False
    for word in words[:4]:
        if word in _AUXILIARIES:
            auxiliary = True
            continue
        # "Domestic manufacturing of ...": a gerund alone is a noun, not the verb.
        return bool(verbs.match(word)) and (auxiliary or not word.endswith("ing"))
    return False


def only_a_company(sentence: Sentence, tokens: list[Token], end: int) -> bool:
    """Whether the words after a person-like name only fit a company ("... produces")."""
    after = [token.lower for token in tokens[end : end + 8]]
    if tokens[end - 1].text.endswith(("’s", "'s")):
        return bool(after) and after[0] in {"plant", "factory", "facility", "products", "drugs"}
    return _verb_follows(after, _ONLY_COMPANY_VERBS) or bool(
        after and after[0] in {"plant", "factory", "facility"}
    )
