"""The report leads with its answers: a findings box before anything else, each
section's answer with its caveats beside it, and the scenario YAML in an appendix at
the end (issue 15, item 3)."""

from __future__ import annotations

from bmdsim.output.report import ReportSection, render_report


def _page(**kw):
    return render_report(
        title="t",
        scenario_text="name: europe-2016\nthreats: []\n",
        sections=[
            ReportSection(
                "Engagements",
                answer="0 of 2 threats could be intercepted.",
                caveats=["Kinematic feasibility only, no kill probability."],
                tables=[[{"threat": "a", "battery": "b"}]],
            ),
            ReportSection("Coverage", text="No answer here."),
        ],
        sources=[{"id": "src-1", "title": "A source", "author": "X", "year": 2016}],
        generated_by="test",
        **kw,
    )


def test_findings_box_comes_first_with_caveats():
    html = _page()
    findings = html.index('id="findings"')
    assert findings < html.index('<nav class="toc">') < html.index('id="section-1"')
    box = html[findings : html.index("</section>", findings)]
    assert "0 of 2 threats could be intercepted." in box
    assert "Caveat: Kinematic feasibility only, no kill probability." in box
    assert 'href="#section-1"' in box and "Coverage" not in box  # only sections with answers


def test_section_answer_has_its_caveat_beside_it():
    html = _page()
    sec = html[html.index('id="section-1"') :]
    answer = sec.index('class="says"')
    assert answer < sec.index("<table")
    assert "<aside>Kinematic feasibility only" in sec[answer : sec.index("<table")]


def test_scenario_yaml_is_an_appendix_after_the_sources():
    html = _page()
    assert html.index('id="sources"') < html.index('id="scenario"') < html.index("<footer>")
    assert "Appendix: the scenario file" in html
    assert html.index("name: europe-2016") > html.index('id="section-2"')
