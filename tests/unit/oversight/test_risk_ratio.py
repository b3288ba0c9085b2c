"""The risk ratio and its interval against published worked examples."""

from __future__ import annotations

import pytest

from incident_recorder.domain.oversight.disproportionality import ratio_text, reading, risk_ratio
from incident_recorder.domain.oversight.figures import RiskRatio


def test_sahai_and_khurshid_example_3_1() -> None:
    """H. Sahai and A. Khurshid, *Statistics in Epidemiology: Methods, Techniques and
    Applications* (CRC Press, 1996), Example 3.1: coronary heart disease (CHD) by level
    of circulating catecholamine (CAT) in 609 men. High CAT: 27 with CHD of 122; low
    CAT: 44 of 487. Published: RR 2.45, 95% CI (Katz log method) 1.58 to 3.79. (The same
    example, with the same figures, is worked in SciPy's documentation of
    ``scipy.stats.contingency.relative_risk``; the method is D. Katz, J. Baptista,
    S. P. Azen and M. C. Pike, Biometrics 34 (1978) 469-474.)"""
    rr = risk_ratio(27, 122, 44, 487)
    assert rr is not None
    assert (round(rr.ratio, 2), round(rr.low, 2), round(rr.high, 2)) == (2.45, 1.58, 3.79)
    assert rr.flagged


def test_katz_example_in_scipy_documentation() -> None:
    """SciPy's ``RelativeRiskResult.confidence_interval`` example (Katz's method C):
    10 of 75 exposed, 12 of 225 unexposed: RR 2.5, 95% CI 1.13 to 5.55."""
    rr = risk_ratio(10, 75, 12, 225)
    assert rr is not None
    assert rr.ratio == pytest.approx(2.5)
    assert (round(rr.low, 2), round(rr.high, 2)) == (1.13, 5.55)


def test_no_ratio_without_incidents_or_pupils() -> None:
    assert risk_ratio(0, 10, 3, 20) is None
    assert risk_ratio(3, 10, 0, 20) is None
    assert risk_ratio(3, 0, 3, 20) is None
    assert risk_ratio(3, 10, 3, 0) is None


def test_part_year_pupils_can_make_a_exceed_n1_and_the_interval_widens() -> None:
    # 6 pupils with an incident, on roll for the equivalent of 5.5 pupils.
    rr = risk_ratio(6, 5.5, 10, 100)
    assert rr is not None
    assert rr.ratio == pytest.approx((6 / 5.5) / (10 / 100))
    full = risk_ratio(6, 6, 10, 100)
    assert full is not None
    assert rr.high / rr.low > full.high / full.low


def test_readings() -> None:
    high = RiskRatio(4.2, 2.9, 6.1)
    assert reading("Pupils with an EHCP", high) == (
        "Pupils with an EHCP were 4.2 times as likely to be restrained as other pupils "
        "(95% CI 2.9 to 6.1). The whole interval is above 1."
    )
    same = RiskRatio(1.02, 0.7, 1.5)
    assert reading("Girls", same) == (
        "Girls were about as likely to be restrained as other pupils (95% CI 0.7 to 1.5)."
    )
    low = RiskRatio(0.5, 0.3, 0.8)
    assert reading("Girls", low) == (
        "Girls were less likely to be restrained than other pupils: 0.5 times as likely "
        "(95% CI 0.3 to 0.8)."
    )
    chance = RiskRatio(1.8, 0.9, 3.6)
    assert reading("Boys", chance).endswith(
        "The interval includes 1, so the difference could be chance."
    )
    assert not chance.flagged and high.flagged


def test_ratio_text_keeps_a_narrow_interval_readable() -> None:
    assert ratio_text(RiskRatio(4.2, 2.9, 6.1)) == "4.2 (95% CI 2.9 to 6.1)"
    assert ratio_text(RiskRatio(1.004, 0.982, 1.028)) == "1.00 (95% CI 0.98 to 1.03)"
    assert ratio_text(RiskRatio(0.05, 0.02, 0.09)) == "0.05 (95% CI 0.02 to 0.09)"
