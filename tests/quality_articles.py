"""Invented local-news articles for the quality regression test (tests/test_quality_regression.py).

Plain text in the BBC corpus layout: a title line, a blank line, paragraphs separated by
blank lines. Every sentence is original and about something different, so that no two
sentences are close before bench/quality.py plants its edited copies.
"""

from __future__ import annotations

ARTICLES = {
    "news/bridge.txt": """\
Harrowfield bridge to close for repairs

The old stone bridge over the River Calder will close to traffic for eleven weeks from the start of March. Engineers found cracks in two of its arches during a routine inspection last autumn.

Drivers heading for the town centre will be sent along a signed diversion through Elland Road and Mill Lane. The council expects journeys at peak times to take up to twenty minutes longer than usual.

A temporary footbridge will let pedestrians and cyclists cross the river while the work goes on. It is being built beside the old structure and should open a week before the road closes.

Local shopkeepers fear the closure will keep customers away during one of their busiest seasons. The chamber of commerce has asked for free parking in the market square to soften the blow.
""",
    "news/orchestra.txt": """\
Youth orchestra wins national prize

A youth orchestra from Calderbrook has beaten forty rival ensembles to take the top award at a contest in Birmingham. The sixty young musicians, aged between twelve and eighteen, played a programme of Elgar and Sibelius.

Their conductor said the players had rehearsed every Saturday morning since September in a church hall. She praised the brass section in particular for a fearless performance of the final movement.

The prize includes a recording session at a professional studio and a concert at a festival next summer. Parents have already started raising money for the coach hire and overnight stay.

Several former members now study at music colleges in London and Manchester. One of them returned this year to coach the cello section before the competition.
""",
    "news/allotments.txt": """\
Waiting list for allotments reaches record length

More than three hundred residents are now waiting for an allotment plot in Harrowfield, the longest list since records began. Some applicants have been told they could wait seven years before a patch of ground becomes free.

Gardeners blame a surge of interest during the pandemic, when many people took up growing their own vegetables. Few tenants have given up their plots since then, and new sites have been slow to appear.

The parish council is considering splitting the largest plots in half to share them between more households. Existing tenants would keep their sheds and greenhouses under the proposal.

A retired teacher who has tended the same strip for forty years said beans and potatoes still grow best there. He offered to mentor any newcomer willing to dig in the rain.
""",
    "news/bakery.txt": """\
Family bakery marks a century of trading

A bakery on Westgate celebrated its hundredth birthday on Sunday with free slices of cake for every customer. The business has been run by four generations of the same family since nineteen twenty-five.

The founder started with a single coal oven and delivered loaves by bicycle to farms across the valley. His great-granddaughter now runs the shop and bakes sourdough alongside the traditional recipes.

Queues stretched past the post office as regulars came to share memories and old photographs. One woman brought the wedding cake topper her grandmother had bought there in the nineteen fifties.

The owners plan to open a small cafe in the empty unit next door later this year. They hope to hire three local school leavers as apprentice bakers.
""",
    "news/cyclists.txt": """\
New cycle lane divides opinion on Halifax Road

A protected cycle lane along Halifax Road has opened after months of roadworks and public meetings. Supporters say it finally gives children a safe route to the secondary school on the hill.

Taxi drivers complain that the kerbs leave too little room to stop and pick up passengers. Delivery firms have asked for loading bays to be marked outside the row of shops near the junction.

Counters installed at both ends recorded nearly nine hundred bicycle trips in the first fortnight. The transport committee will review those figures alongside accident data in the spring.

A petition calling for the lane to be removed has gathered about four hundred signatures online. A rival petition backing the scheme has collected slightly more.
""",
    "news/museum.txt": """\
Museum unveils restored Roman mosaic

A Roman floor mosaic found beneath a car park has gone on display after three years of careful restoration. Conservators pieced together more than twenty thousand tiny stones showing dolphins and a sea god.

The mosaic was uncovered by builders preparing foundations for a supermarket on the edge of the town. Archaeologists believe it decorated the dining room of a wealthy villa in the third century.

Visitors can walk across a glass walkway suspended just above the restored floor. Curators expect the new gallery to double the museum's yearly attendance.

Schools will be offered free guided tours during the summer term, with workshops on Roman cooking. A replica section lets younger children handle the stones and try building their own patterns.
""",
    "news/floodgates.txt": """\
Flood barrier tested ahead of winter storms

Engineers lowered the new flood barrier at Sowerby Bridge on Tuesday night to check that its gates seal properly. The test was carried out in darkness to avoid disrupting boats using the canal during the day.

The barrier was built after floods in twenty fifteen damaged more than four hundred homes and businesses. It can hold back water rising two metres above the normal level of the river.

Residents living close to the banks received letters explaining what the warning sirens will sound like. Volunteers will knock on doors in the lowest streets whenever a severe alert is issued.

Insurers have been asked to take the new defences into account when they set premiums next year. Many families say their cover has tripled in price since the last flood.
""",
    "news/chess.txt": """\
Pensioner becomes county chess champion

A seventy-nine-year-old grandmother has won the county chess championship at her first attempt. She learned the game from her late husband and only joined a club two years ago.

Her final opponent, a university student half a century younger, resigned after a tense four-hour match. Spectators gasped when she sacrificed her queen to set up a winning attack on the king.

The club meets every Thursday evening in the back room of the Shears Inn and welcomes beginners. Members say the victory has already brought several new faces through the door.

She now hopes to represent the county at a national tournament in Scarborough in October. Her grandsons have promised to drive her there and cheer from the front row.
""",
    "news/buses.txt": """\
Rural bus route saved by volunteer drivers

A bus service linking five hill villages has been rescued after the operator announced it would stop running. Volunteers have formed a community transport group and bought a second-hand minibus.

The route is the only public transport for many elderly residents who no longer drive. Without it, some would struggle to reach the doctor's surgery or the weekly market.

Twelve retired residents have passed the tests needed to drive passengers on the narrow lanes. Each will cover at least one shift a week, and timetables will be printed in the parish newsletter.

The group needs to raise eight thousand pounds a year to cover fuel, insurance and repairs. A sponsored walk across the moor next month is expected to bring in the first instalment.
""",
    "news/robotics.txt": """\
Pupils build robot that sorts recycling

Teenagers at Brighouse High School have designed a robot arm that separates plastic bottles from cans. Their invention uses a cheap camera and a small computer to recognise each item on a conveyor belt.

The team entered the machine in a regional engineering challenge and reached the final in Leeds. Judges said it was the most practical project they had seen from a school in years.

A recycling company has invited the pupils to test a larger version at its depot over the holidays. Managers there say sorting mistakes cost the industry millions of pounds every year.

The students wrote all the software themselves after lessons, sometimes staying until the caretaker locked up. Their teacher hopes the project will encourage more girls to choose engineering courses.
""",
    "news/market.txt": """\
Historic market hall reopens after fire

The Victorian market hall in Todmorden has reopened eighteen months after a fire destroyed part of its roof. Traders returned to their stalls on Saturday to applause from hundreds of waiting shoppers.

Investigators concluded the blaze started in faulty wiring above a fishmonger's counter. The electrical system throughout the building has since been replaced and new sprinklers fitted.

Craftspeople restored the ornate iron columns using moulds taken from undamaged sections. The original clock above the main entrance has been cleaned and set running again.

Rents will stay frozen for a year to help businesses recover from the long closure. Three new traders, including a cheese maker and a bicycle repairer, have taken empty stalls.
""",
    "news/hedgehogs.txt": """\
Hedgehog hospital appeals for volunteers

A hedgehog rescue centre run from a garage in Ripponden is caring for more than ninety sick animals. Its founder says the number brought in has grown every year since she opened in twenty eighteen.

Many of the patients are underweight youngsters born too late in the season to survive hibernation. Others arrive with injuries from garden strimmers, netting or road traffic.

The centre needs helpers to clean pens, weigh animals and prepare food through the night. Experience is not required, and training is given on the first shift.

Gardeners can help by leaving gaps under fences so that hedgehogs can roam between plots. A shallow dish of water and a pile of leaves in a quiet corner also make a difference.
""",
}
