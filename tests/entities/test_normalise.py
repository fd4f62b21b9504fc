"""The cross-article identity key of names, and URL slugs."""

import pytest

from entities.normalise import normalise_name, slug_for


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "Association of Kaluga Pharmaceutical Cluster",
            "Kaluga Pharmaceutical Cluster association",
        ),
        # The association that runs a cluster is the cluster's body.
        ("Kaluga Pharmaceutical Cluster", "Association of Kaluga Pharmaceutical Cluster"),
        ("Volga Biotech Cluster", "Volga Biotech Cluster Non-Profit Partnership"),
        # A state body's name with and without the home country.
        ("Russian Ministry of Health Care", "Ministry of Healthcare of the Russian Federation"),
        ("Government of the Russian Federation", "Russian Government"),
        # A region's administration is its government.
        ("Administration of Orlov Region", "Orlov Region Government"),
        # A company's descriptor after its name.
        ("Zentova State Corporation", "Zentova"),
        ("Kerva Group", "Kerva Industries"),
        # Diacritics, scripts and more legal forms.
        ("Sørensen Holding A/S", "Sorensen"),
        ("ООО «Вектор»", "Vektor LLC"),
        ("Lumiere Pharma SE", "Lumiere Pharma S.A."),
        ("Cluster Development Centre of Kaluga", "Cluster Development Center of Kaluga"),
        ("Centre for Biomedical Technologies", "Biomedical Technologies Center"),
        ("Calibrix Rus LLC", "Calibrix Rus"),
        ("OOO “Vektor”", "Vektor"),
        ("JSC Medtekhnika", "Medtekhnika OAO"),
        ("the Tomsk Cluster", "Tomsk Cluster"),
        ("Mir-Pharm", "MIR-PHARM"),
        (
            "Ministry for Economic Development of the Russian Federation",
            "Ministry for economic development of Russia",
        ),
        ("Ministry of Industry and Trade", "Ministry of Trade and Industry"),
    ],
)
def test_spellings_of_one_name_share_a_key(one, other):
    """Word order around "of", case, quotes, legal forms, "the" and centre/center never split."""
    assert normalise_name(one) == normalise_name(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ministry of Health", "Ministry of Industry and Trade"),
        ("Kaluga Pharmaceutical Cluster", "Tula Pharmaceutical Cluster"),
        ("Ministry of Health", "Ministry of Health of Kazakhstan"),
        ("Agency for Regional Development", "Agency for Innovative Development"),
        ("Anatoly Sotnikov", "Ivan Sotnikov"),
    ],
)
def test_different_names_keep_different_keys(one, other):
    """A cluster and its association, or two ministries, are different records."""
    assert normalise_name(one) != normalise_name(other)


def test_key_ignores_punctuation_and_spacing():
    """Extra spaces and punctuation from the text do not change the key."""
    assert normalise_name("  Active  Molecules’ Park, ") == normalise_name("Active Molecules Park")


def test_empty_name_has_an_empty_key():
    """Nothing left after normalising gives an empty key, never an error."""
    assert normalise_name("“ the ”") == ""


def test_slug_for_keeps_unicode_and_falls_back():
    """Slugs are readable, Cyrillic-safe and never empty."""
    assert slug_for("Kaluga Pharmaceutical Cluster") == "kaluga-pharmaceutical-cluster"
    assert slug_for("Калужский кластер") == "калужский-кластер"
    assert slug_for("“”") == "item"
