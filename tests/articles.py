"""Small real-looking articles shared by the CLI, config, bad-input and files tests.

Each constant says what it is for; the line numbers the tests assert are the lines of
these texts, so edit them with care.
"""

from __future__ import annotations

# No repeats at all: a clean run exits 0.
LIBRARY_HOURS = """\
Library opening hours extended for exam season
By Priya Shah, Education Reporter

Central Library will stay open until 10pm on weekdays from Monday, the council said, after students asked for more quiet space to revise.

The extra hours will run until the end of June and cost about £18,000, paid for from the libraries reserve.

Staff volunteered for the late shifts, and security will be provided by the same firm that already patrols the town hall.
"""

# The photo caption is printed twice, on lines 4 and 10: one `caption` finding.
RAIL_STRIKE = """\
Rail strike to go ahead after talks collapse
By Jane Doe, Transport Reporter

Commuters queue outside Leeds station on Monday morning (Photo: Jane Smith/Northern Daily)

Talks between the union and the operator broke down late on Sunday, and the walkout will begin at midnight.

The union said the walkout would affect more than 400 services across the region on each of the three days.

Commuters queue outside Leeds station on Monday morning (Photo: Jane Smith/Northern Daily)

Passengers are advised to check before they travel and to expect crowding on the services that do run.
"""
CAPTION = "Commuters queue outside Leeds station on Monday morning (Photo: Jane Smith/Northern Daily)"

# COUNCIL_BUDGET line 7 and SCHOOL_MEALS line 5 are the same sentence: one `cross`
# finding (severity warning, so the run still exits 0).
COUNCIL_BUDGET = """\
Council approves budget with cuts to bus subsidies

The council approved its budget on Tuesday night after a four-hour debate in the chamber.

Councillors voted 31 to 24 for the plan, which trims bus subsidies by £1.2m and raises council tax by 4.99 per cent.

The budget also protects funding for the holiday activities programme, which feeds 3,000 children each summer.
"""
SCHOOL_MEALS = """\
Free school meals scheme to continue through the summer

Families will keep receiving food vouchers during the holidays, the education department confirmed on Wednesday.

The budget also protects funding for the holiday activities programme, which feeds 3,000 children each summer.

Head teachers welcomed the decision but warned that demand had risen by a fifth since last year.
"""

# Lines 3 and 7 restate one 24-word sentence with two words changed ("river" ->
# "water", "almost" -> "nearly"). Exact Jaccard of word shingles, worked by hand:
# k=2: 19 shared of 27 -> 19/27; k=3: 12 of 21 -> 4/7; k=4: 13/29, under 0.5.
FLOOD_RESTATED = """\
Flood warnings widen as river peaks overnight

The agency said river levels at Mytholmroyd had risen by almost a metre since Sunday evening and were likely to peak early on Tuesday.

Sandbags are being handed out from depots in Hebden Bridge and Sowerby Bridge until ten o'clock tonight.

The agency said water levels at Mytholmroyd had risen by nearly a metre since Sunday evening and were likely to peak early on Tuesday.
"""
NEAR_SIMILARITY_SHINGLE_2 = 19 / 27
NEAR_SIMILARITY_SHINGLE_3 = 4 / 7

# "Recommended News" (two words) on lines 5 and 9: below the default min-words of 4.
HOSPITAL_PARKING = """\
Parking charges at the hospital will rise from April

Visitors will pay £3.50 for up to four hours, up from £2.80, under plans approved by the trust board.

Recommended News

Blue badge holders and parents of children staying overnight will continue to park free of charge.

Recommended News
"""

# A Markdown page with YAML front matter and a code block: the sentence on line 8 is
# repeated on line 15. The front matter's title, the same words as the heading, must
# not count as a repeat.
STYLE_GUIDE_PAGE = """\
---
title: What changed in the house style guide this spring
date: 2026-03-20
---

# What changed in the house style guide this spring

Headlines now use sentence case throughout the site.
The change affects every section, including sport.

```sh
grep -c "Title Case" drafts/*.md
```

Headlines now use sentence case throughout the site.
"""

# a two-paragraph passage copied into a second article with its last words changed, and
# one of its sentences alone in a third: the sentence's highlight sits inside the passage's
_BUDGET = """Budget night at the town hall

Councillors met for four hours on Tuesday and heard from more than thirty residents before the vote.

The leader of the council said the settlement from central government had fallen for the sixth year running.

{p1}

{p2}

Opposition members walked out before the final vote, saying the consultation had been rushed through.
"""
_FAMILIES = """What the budget means for families

Bin collections will move to every two weeks from June, with food waste still collected weekly.

Swimming pool prices rise by fifty pence for adults, while children under five will still swim free.

{p1}

{p2}

The full budget papers are published on the council website and in every branch library.
"""
_LIBRARY = """Library opening hours change this spring

Readers in the north of the borough have started a petition that has already gathered two thousand names.

Libraries in Eastgate and Northfield will close on Mondays from the start of April.

Volunteers say they will run a reading group on Monday evenings if the council gives them a key.
"""
_P1 = ("The council will vote on the budget on Thursday evening after months of talks with unions. "
      "Libraries in Eastgate and Northfield will close on Mondays from the start of April.")
_P2 = "Parents can still apply for free school meals online or at any library branch until the end of May."
OVERLAP = {"news/budget.txt": _BUDGET.format(p1=_P1, p2=_P2),
           "news/families.txt": _FAMILIES.format(p1=_P1, p2=_P2.replace("until the end of May", "before half term")),
           "news/library.txt": _LIBRARY}
