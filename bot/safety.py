"""A conservative crisis check that runs before Rasa, on every message.

Two nets. The first is deliberately simple and inspectable: patterns for suicidal
and self-harm language, direct and indirect, grouped by family, with the common
idioms ("this job hunt is killing me") and talk of other people ruled out first.
Text is normalised before matching (invisible characters and accents dropped,
"wanna"/"dont" spelled out), and the key words tolerate common misspellings
("sucidal", "kil my self"). Wording that may or may not mean ending one's life
("I can't do this anymore") is ``UNSURE``: the bot then asks directly instead of
guessing. The second, bot/safety_model.py, is learned: it reads what the patterns
leave as SAFE and catches paraphrase ("i've put the sleeping pills next to the bed for later"),
asking directly where its score is high but not clear.
The NLU model's ``crisis`` intent is a third net behind both."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from bot import safety_model

# Building blocks, so each family below reads close to the words people use.
SELF = r"(?:my\s?-?s[ea]?lf|myslef)\b"
KILL = r"k[i1!|]+ll?(?:s|ing|ed)?"
# "suicidal" (and its misspellings) is said of oneself; "suicide", the noun, is as often a
# subject (a novel, a course, the news) as a wish, so it alarms only where it is one.
SUICIDAL = r"\bs[u*]+[i1*]?[cs*]+[i1*]?d(?:al|le|el|ial|l)\w*|\bsewer\s?-?slid(?:e|ing)\b"
SUICIDE = r"s[u*]+[i1*]?[cs*]+[i1*]?de?s?\b"
# "a burden on my wife", "a drain on the budget": ordinary after a lost job; alone, they go
# to the net. A burden to everyone, or nothing but one, alarms.
BURDEN = r"(?:(?:a\s+)?(?:burden|dead\s+weight)|a\s+(?:weight|drain))"
# "if i was gone", "if i died": the speaker imagining their own death.
IF_I_WAS_GONE = (
    r"if\s+i\s+(?:just\s+)?(?:(?:was|were|am)\s+(?:dead|gone|not\s+(?:here|around|alive))|"
    r"(?:wasn't|weren't)\s+(?:here|around|alive|in\s+it|in\s+their\s+lives)|died|disappeared|vanished|"
    r"killed\s+myself|stopped\s+existing|didn't\s+exist|"
    r"ended\s+it)\b"
)
MEANS = (
    r"(?:pills|tablets|meds|medication|painkillers|sleeping\s+pills|paracetamol|tylenol|"
    r"antidepressants|sertraline|citalopram|fluoxetine|codeine|tramadol|insulin|propranolol|"
    r"amitriptyline|diazepam|zopiclone|aspirin|ibuprofen|co-codamol|oxycodone)"
)
# whose: "my", "the", "my mum's", "my dad's"
WHOSE = r"(?:my\s+|the\s+|those\s+|these\s+)?(?:\w+'?s\s+)?"
# the things people gather to end their life
METHOD = (
    r"(?:gun|shotgun|rifle|pistol|rope|noose|belt|cord|blades?|razors?|razor\s+blades?|knife|"
    r"knives|hose|charcoal|pills|tablets|meds)"
)
AGAIN = r"(?:any\s?more|any\s+longer|much\s+longer)"
# "life" as a whole, not "life admin" or "life in retail".
LIFE = r"(?:life|living|being\s+alive|existing)\s*(?:$|[.,!?;]|and\b|like\s+this|any\s?more)"

OTHERS = (
    r"(?:my|her|his|their|a)\s+(?:best\s+)?(?:friend|brother|sister|uncle|aunt|dad|father|mum|mom|"
    r"mother|grandad|grandpa|grandma|cousin|colleague|flatmate|son|daughter|partner)"
)

IDIOMS = (
    r"(is|was|are|were|'s|'re)\s+killing\s+me",
    r"kill(s|ing|ed)?\s+me\s+(inside\s+)?(with|to|that)",
    r"dying\s+(to|for|of\s+(curiosity|boredom|laughter|embarrassment))",
    r"\b(die|died|dying)\s+(of|from)\s+(embarrassment|shame|boredom|curiosity|laughter|cringe|"
    r"suspense|excitement|jealousy|envy)",
    r"\b(die|died|dying)\s+(laughing|happy|inside\s+a\s+little)",
    r"\bto\s+die\s+for\b",
    r"(could|would)\s+kill\s+for",
    r"kill(ed|ing)?\s+(it|the\s+(interview|presentation|process|task|job|app|tab))",
    r"dead\s+(tired|beat|on|serious|end|set|right|wrong)",
    r"(killed|killing|slayed|slaying)\s+(it|the\s+interview)",
    r"kill\s+(the\s+)?(time|process|session|job|pid)",
    r"suicide\s+(squad|mission|doors?|run)",
    r"(career|social|political|commercial|professional|financial)\s+suicide",
    r"(interview|job|career|application|hopes?|chances?|dream)\s+(is|are|was|were)\s+dead",
    r"shoot(ing)?\s+myself\s+in\s+the\s+foot",
    r"gas(sing)?\s+myself\s+up",
    r"rather\s+die\s+than\s+(do|sit|attend|write|fill|go\s+to)\b",
    # suicide or self-harm as a topic: a job, a charity, research, a policy
    r"(suicide|self[\s-]?harm|crisis)\s+(prevention|helpline|hotline|line|awareness|rates?|"
    r"statistics|research|charity|disclosures?|training|policy)",
    r"\b(man|woman|person|people|guy|girl|someone|somebody|he|she|they|hero|character|protagonist)\b"
    r"[^.!?]{0,25}?\bjump(ed|s|ing)\s+(off|from)",
    # someone else's suicide or self-harm, or the news about it
    rf"\b(she|he|they|{OTHERS})(\s+(had|has|have|was|were)|'d|'s)?\s+(been\s+)?self[\s-]?harm\w*",
    r"\bdied\s+(by|of|from)\s+suicide\b",
    rf"\b({OTHERS}|actor|singer|celebrity|player|student)'s\s+(suicide|self[\s-]?harm)",
    r"\b(article|piece|news|story|report|messaging|lecture|course|documentary|podcast|episode|"
    r"dissertation|thesis|essay|paper|module|book|film|series|show|study)('s|\s+is|\s+was)?\s+"
    r"(about|around|on|covering)\s+([\w'-]+\s+(and\s+)?){0,3}(suicide|self[\s-]?harm|overdoses?)\b"
    r"[^.!?]{0,30}",
    r"\boverdose\s+(calls?|deaths?|victims?|patients?|cases?|training|kits?|statistics|rates?)\b",
    r"\b(patients?|clients?|callers?|people|men|women|students?|teens|kids|customers?|friends?|colleagues?|"
    r"he|she|they)\s+(who\s+)?(is|was|are|were|feel|felt|had\s+been|has\s+been)\s+suicidal\b",
    r"\b(who|patients?|clients?|character|callers?)\s+(took\s+an?\s+|had\s+an?\s+)?overdos\w*",
    r"\b(patients?|clients?|someone|people|residents?|a\s+person)\s+(is\s+|are\s+|who\s+(is|are)\s+)?"
    r"(stockpil|hoard)\w*",
    r"\bhow\s+many\s+\w+\s+can\s+(i|you|one)\s+(safely\s+)?take\s+(in\s+a\s+day|per\s+day|a\s+day|in\s+24\s+hours|"
    r"with\s+(a|my|the)\s+|for\s+(a|my|the)\s+)",
    r"\bcount\w*\s+[^.!?]{0,25}\bto\s+(check|see|make\s+sure)\s+(if\s+|that\s+|whether\s+)?i\s+(have|need|'ve\s+got)\s+"
    r"(enough|a\s+refill|more|a\s+repeat)\b",
    r"\bcut\s+myself\s+(shaving|cooking|chopping|by\s+accident|on\s+(a|the|some))\b",
    rf"\bforg(o|e)t\s+to\s+take\s+{WHOSE}(\w+\s+)?{MEANS}",
    r"\b(good)?bye\s+for\s+(tonight|now|today)\b",
    r"\bmy\s+(\w+\s+)?(cat|dog|pet|rabbit|hamster|nan|gran|grandma|grandad|grandpa|granny|uncle|aunt|auntie|"
    r"cousin|friend|neighbour)\s+(died|passed(\s+away)?)(\s+(by|of|from)\s+suicide)?\b",
    r"\bcount\w*\s+(out\s+)?(my\s+|the\s+)?\w+\s+(out\s+)?into\s+(the|my|a)\s+(weekly\s+|daily\s+)?"
    r"(pill\s+)?(organi[sz]er|dosette|box|planner)\b",
    r"\bburden\s+on\s+(my\s+)?\w+\b[^.!?]{0,30}\b(paying|pays|covering|footing|rent|money|financially|"
    r"living\s+(back\s+)?(at\s+home|with\s+them)|moved\s+back)\b",
    r"\b(suicide|self[\s-]?harm)\s+(among|in)\s+(young|junior|doctors|men|women|students|teens)",
    r"\b(we|they|the\s+\w+)\s+talked\s+about\s+(suicide|self[\s-]?harm)\b",
    # everyday talk: prescriptions, moving away, a burden at work or on the budget
    r"\bcount\w*\s+(my\s+|the\s+)?\w+\s+to\s+see\s+if\s+i\s+need\s+(a\s+)?(repeat|refill|more|new)",
    r"\bleaving\s+for\s+good\b[^.!?]{0,40}\b(moving|going\s+to|relocat\w*|emigrat\w*|town|city|country)\b",
    r"\b(they're|he's|she's|someone's|somebody's)\s+suicidal\b|\b(if|whether|when)\s+(someone|somebody|"
    r"a\s+person|they|he|she|a\s+patient|a\s+client|people)\s+(is|are|was|were|feels?|'s|'re)\s+suicidal\b",
    r"\b(a\s+)?burden\s+on\s+(my\s+)?(team|colleagues|manager|boss|coworkers)\b",
    r"\b(a\s+)?burden\s+on\s+(my\s+)?\w+\s+(financially|money-wise)\b|\bfinancial\s+burden\b",
    r"\b(die|dying)\s+on\s+(this|that)\s+hill\b",
    # saying it is not so
    r"\b(i'm|i\s+am)\s+not\s+suicidal\b",
    r"\b(i\s+)?(don't|do\s+not)\s+want\s+to\s+die\b",
    r"\b(i'd|i\s+would|i'll|i\s+will)\s+never\s+(hurt|harm|kill)\s+myself\b",
    r"\b(asked|asks|asking)\s+(me\s+)?(if|whether)\s+i\s+(ever\s+)?(think|thought)\s+about\s+"
    r"(suicide|killing\s+myself|self[\s-]?harm)\W+(and\s+)?i\s+(honestly\s+)?said\s+no\b",
)

CRISIS = (
    # naming it: suicide, "unalive", "kms", killing / ending / taking one's life
    SUICIDAL,
    rf"\b(think\w*|thought|thoughts|consider\w*|contemplat\w*|obsess\w*|fantasi[sz]\w*)\s+(\w+ly\s+)?"
    rf"(about|of)?\s*(a\s+)?{SUICIDE}",
    rf"\b(i|i'll|will|to|gonna|going\s+to|might|could|should)\s+(just\s+)?(commit|make|attempt|try)\s+{SUICIDE}",
    rf"\bmy\s+{SUICIDE}|\b{SUICIDE}\s+(is|feels|seems|sounds|looks|keeps|has\s+been)\s+(\w+\s+){{0,2}}"
    rf"(all\s+i|the\s+only|on\s+my\s+mind|in\s+my\s+head|popping|good|better|easier|tempting|"
    rf"like\s+(the|a|my)\s+(answer|option|way|relief))",
    rf"\b{SUICIDE}\b[^.!?]{{0,20}}\b(tonight|right\s+now)\b",
    r"\bun-?aliv(e|ing)\b",
    r"\bkms\b",
    rf"\b{KILL}\s+{SELF}",
    rf"\bend(ing)?\s+(my\s+(own\s+)?life|{SELF})",
    r"\b(take|taking|took)\s+my\s+(own\s+)?life\b",
    r"\b(going\s+to|want\s+to|should|will|i'll)\s+off\s+myself\b",
    r"\bend(ing)?\s+(it|it\s+all|everything|things)\b(?!\s+(with|for|at|here|there|early|on)\b)",
    r"\bend(ed|ing)?\s+(it|it\s+all|everything|things)\s+(for\s+good|once\s+and\s+for\s+all)\b",
    r"\btime\s+(i|to)\s+end(ed)?\s+(it|it\s+all|everything|things)\b(?!\s+(with|at|here|there|on)\b)",
    # wanting to die, not to exist, not to wake up
    r"\b(want|wanting|going|ready|plan(ning)?|deserve|hope\s+i|let\s+me|should(\s+just)?|could\s+just)"
    r"\s+(to\s+)?(die|dye(?!\s+(my|the|it|her|his|your|a|some)\b))\b",
    r"\bfeel(ing)?\s+like\s+dying\b",
    r"\b(want|wanting|rather|better\s+off|ready)\s+(to\s+)?(be\s+)?dead\b|\brather\s+die\b",
    r"\bwish\s+i\s*('d|had|was|were|could)?\s*(just\s+)?"
    r"(dead|gone|die|never\s+(been\s+)?born|not\s+(been\s+)?born|stop\s+existing|not\s+exist)",
    rf"\b(don't|do\s+not|no\s+longer|never)\s+want\s+to\s+(be\s+here\s+{AGAIN}|"
    rf"live(?!\s+(in|at|near|with|on|abroad|there)\b)|exist|be\s+alive|do\s+life|"
    rf"be\s+(on\s+this\s+(earth|planet)|in\s+this\s+world)|"
    rf"wake\s+up(?!\s+(early|late|in\s+time|at)\b)|go\s+on\s*($|[.,!?;]|like\s+this|living|{AGAIN})|be\s+around\s+{AGAIN}|"
    r"be\s+in\s+this\s+life)",
    r"\b(stop|cease)\s+(existing|to\s+exist)\b",
    r"\bwant\s+to\s+(stop\s+(living|being\s+alive)|not\s+(exist|be\s+alive|be\s+here|wake\s+up))\b",
    r"\b(fine|okay|ok|happy|glad|relieved)\s+if\s+i\s+(just\s+)?(didn't|did\s+not|never|don't)\s+wake\s+up\b",
    r"\bhope\s+i\s+(get\s+)?(hit\s+by|run\s+over)\b",
    r"\bcatch(ing)?\s+the\s+bus\b\W+the\s+(final|last)\s+one\b|\bctb\b",
    r"\b(not\s+sure|don't\s+know\s+if|unsure\s+if)\s+i\s+want\s+to\s+(be\s+alive|live|keep\s+living|"
    r"be\s+here\s+(any\s?more|tomorrow))\b",
    r"\b(had|have|i've)\s+(had\s+)?enough\s+of\s+(being\s+alive|living|life|existing)\b",
    r"\b(can't|cannot)\s+(picture|imagine|see)\s+myself\s+(still\s+)?(being\s+)?(alive|here|around)\s+"
    r"(next|by|in\s+a)\b",
    r"\b(being|be)\s+gone\s+(forever|for\s+good|permanently)\b",
    r"\b(not|never|don't|do\s+not|won't)\s+wake\s+up\b(?!\s+(late|early|in\s+time))|"
    r"\b(not|never)\s+to\s+wake\s+up\b(?!\s+(the|my|him|her|them|everyone|anyone|early|late|in\s+time))|"
    r"\b((stay\s+asleep|sleep)\s+forever|eternal\s+sleep)\b",
    r"\b(want|wish|going|plan(ning)?|need|i'll|could)\b[^.!?]{0,12}?\b(dis+ap+ea?r|vanish)\w*"
    r"\b[^.!?]{0,15}?\b(forever|for\s+good|permanently|"
    r"and\s+never\s+come\s+back|from\s+(this|the)\s+(world|earth|planet))",
    r"\b(everything|it\s+all|all\s+of\s+(it|this)|my\s+life)\s+to\s+(end|be\s+over(?!\s+(by|before|soon|already))|"
    r"stop\s+(forever|for\s+good|permanently))\b",
    r"\bi\s+(just\s+)?want\s+out\b(?!\s+of)",
    rf"\bdone\s+(with\s+)?{LIFE}",
    rf"\b(tired|sick)\s+of\s+{LIFE}",
    r"\bgive\s+up\s+on\s+(life|living)\b",
    # no point, no reason, no way out, can't go on
    r"\bno\s+(reason|point)\s+(to|in|of)\s+(live|living|going\s+on|being\s+alive|be\s+alive|"
    r"existing|staying\s+alive|keep\s+going\b(?!\s+(with|on|to|at|for)\b))",
    r"\b(nothing|anything|nobody|no\s?one)\s+(left\s+)?(for\s+me\s+)?to\s+(live|stay\s+alive|keep\s+living|"
    r"go\s+on|stay)\s+for\b",
    r"\bonly\s+(still\s+)?(here|alive)\s+because\b",
    r"\b(no|any|a\s+single|one)\s+reason\s+(left\s+)?to\s+(live|stay\s+alive|keep\s+living|carry\s+on|go\s+on|"
    r"keep\s+breathing|"
    r"be\s+here|wake\s+up|get\s+up\s+any\s?more)\b(?!\s+(with|to|at|for|in|on)\b)",
    r"\b(don't|do\s+not|can't|cannot)\s+see\s+(a|any|the)\s+(reason|point)\s+(to|in|of)\s+"
    r"(go(ing)?\s+on|carry(ing)?\s+on|keep(ing)?\s+going|being\s+here)\b(?!\s+(with|to|at|for|in|on)\b)",
    r"\bwhat'?s\s+the\s+point\s+(of|in)\s+(living|life|being\s+alive|going\s+on|existing)",
    r"\b(don't|do\s+not|can't|cannot)\s+see\s+(the|any)\s+point\s+(in|of)\s+(living|life|going\s+on|waking\s+up|"
    r"being\s+alive|existing)",
    r"\b(why|reason|point)\b[^.!?]{0,30}\b((stay|staying|keep|keeping)\s+(alive|living)|"
    r"(be|being)\s+alive)\b",
    r"\bwhy\s+(even\s+)?bother\s+(living|existing|staying\s+alive|going\s+on)\b",
    r"\b(life|living|existing|existence)\s+(is|feels|seems)\s+(so\s+|just\s+)?(pointless|meaningless|"
    r"worthless|not\s+worth\s+(it|living))",
    r"\blife(\s+isn't|\s+is\s+not|'s\s+not|\s+ain't)\s+worth\s+(living|it)",
    r"\b(life|living)\s+has\s+no\s+(meaning|point|purpose)",
    r"\bno\s+way\s+out\b(?!\s+of)|\bno\s+way\s+out\s+of\s+(this\s+)?(life|pain|misery)|"
    r"\bonly\s+way\s+out\s+is\s+(to\s+)?(die|death|dying|suicide|end|ending|kill)|"
    r"\b(death|dying|suicide)\s+is\s+the\s+only\s+way\s+out",
    rf"\b(can't|cannot|can\s+not|don't\s+think\s+i\s+can)\s+(go\s+on|keep\s+going)\s*"
    rf"($|[.,!?;]|like\s+this(?!\s+(with|at|in)\b)|living|{AGAIN})",
    r"\bwant\s+it\s+(all\s+)?to\s+(end|be\s+over)\s*($|[.,!?;])",
    r"\b(want|wish)\s+(it|everything|it\s+all)\s+(would\s+)?(to\s+)?stop\s+(for\s+good|forever|"
    r"permanently)\b",
    rf"\b(can't|cannot)\s+live\s+like\s+this\s*{AGAIN}",
    # thinking about dying
    r"\b(think|thinking|thought|thoughts)\s+(about|of)\s+(is\s+)?(dying|death(?!\s+of)|being\s+dead|"
    r"killing\s+myself|ending\s+(it|my\s+life|everything)|not\s+(existing|being\s+here|being\s+alive)|"
    r"jumping\b(?!\s+(ship|at|into|in|on|back|to)\b))",
    r"\b(how|ways?)\s+to\s+(die|kill\s+myself|end\s+(it|my\s+life))\b",
    r"\b(thinking|thought|think)\s+about\s+how\s+i('d|\s+would|'ll|\s+will|\s+could)\s+do\s+it\b",
    r"\b(imagin|pictur|plan)\w*\s+(about\s+)?my\s+(own\s+)?funeral\b",
    r"\bdo\s+something\s+(stupid\s+|bad\s+|drastic\s+)?to\s+myself\b",
    r"\b(i'm|i\s+am)\s+not\s+safe\b(?!\s+from)|\b(not|don't\s+feel)\s+safe\s+(with|around|from)\s+myself\b",
    # others better off without me; being a burden
    rf"\b(miss\s+me|care|notice|matter|better|happier|easier|relieved|improve|free|save\w*|cope)\b[^.!?]{{0,30}}?"
    rf"\b{IF_I_WAS_GONE}",
    rf"\b{IF_I_WAS_GONE}[^.!?]{{0,30}}?\b(nobody|no\s?-?one)\s+(would|will|'d)\s+(even\s+)?"
    rf"(care|notice|miss\s+me)",
    r"\bbetter\s+off\s+without\s+me\b(?!\s+(in|on|at)\s+(the|that|this|their|our|my)\s+\w+)|\b(be|are|is|'re|'s|was|were)\s+(\w+\s+)?(better|happier|"
    r"relieved)\s+without\s+me\b(?!\s+(in|on|at)\s+(the|that|this|their|our|my)\s+(team|company|"
    r"role|job|project|department|office|group)\b)",
    rf"\b(i'm|i\s+am|i\s+feel(\s+like)?|being|become)\s+(\w+\s+){{0,2}}{BURDEN}\b[^.!?]{{0,60}}\b(die|dying|"
    r"dead|death|gone|not\s+(here|around|alive|living)|keep\s+living|without\s+me|end(ed|ing)?\s+(it|my\s+life)|kinder|"
    r"kind\s+to|favou?r)",
    rf"\b(i'm|i\s+am|i\s+feel(\s+like)?|being)\s+(just\s+|only\s+|such\s+)?{BURDEN}\s+(on|to|for)\s+"
    r"(everyone|everybody|all\s+of\s+them|(the\s+)?people\s+around|those\s+around)|\bnothing\s+but\s+"
    rf"{BURDEN}\b",
    r"\b(everyone|everybody|they|my\s+(family|parents|partner|kids|friends))\s+(would|'d)\s+(all\s+)?(be\s+)?"
    r"(better|happier|fine|relieved)\s+(off\s+)?(if\s+i\s+(was|were)n't|without\s+me)\b",
    r"\b(nobody|no\s?-?one)\s+(would|will|'d)\s+(even\s+)?(miss\s+me|notice\s+i'?m\s+gone)",
    # not being around much longer, not making it through
    rf"\b(not|won't)\s+(going\s+to\s+)?be\s+(here|around|alive)\s+(for\s+)?{AGAIN}\b",
    r"\b(don't|do\s+not|won't|might\s+not|may\s+not)\s+make\s+it\s+(through\s+)?(the\s+)?"
    r"(tonight|night|weekend)",
    # means: pills, rope, jumping, other methods
    rf"\b(take|taking|took|swallow\w*|down)\s+(all|every|a\s+(bunch|handful|lot|load|whole\s+\w+)|"
    rf"loads|handfuls|the\s+(whole|entire)\s+(box|bottle|packet|pack))\s+"
    rf"(of\s+)?{WHOSE}(\w+\s+)?{MEANS}\b(?!\s+(with|to)\b)",
    rf"\b(took|taken|swallowed|downed)\s+(like\s+|about\s+|around\s+|maybe\s+|over\s+)?"
    rf"(1\d|[2-9]\d|\d{{3}}|twenty|thirty|forty|fifty|a\s+hundred)\s+(of\s+)?{WHOSE}(\w+\s+)?{MEANS}\b",
    r"\b(swallow\w*|down(ed|ing)?|took|taken|take|taking)\s+(everything|all|the\s+lot|whatever\s+was)\s+"
    r"(in|from)\s+(the|my|our)\s+(medicine|bathroom|pill)\s+(cabinet|cupboard|box|drawer|bottle)",
    rf"\b{MEANS}\b[^.!?]{{0,30}}\ball\s+at\s+once\b",
    rf"\b(stockpil\w*|hoard\w*|sav(e|ed|ing)\s+up|collect\w*)\s+(my\s+|the\s+|some\s+)?{MEANS}\b"
    r"(?!\s+(from|at|on\s+the\s+way|before|after|today|tomorrow|later)\b)",
    rf"\b(took|taken|take|taking|swallowed)\s+(way\s+)?(more|too\s+many|extra)\s+(of\s+)?"
    rf"(my\s+|the\s+)?{MEANS}\b",
    r"\b(going\s+to|want\s+to|will|i'll|plan\w*\s+to|enough\s+(\w+\s+)?to|thinking\s+(about|of)|try\s+to|"
    r"about\s+to|ready\s+to)\s+(an?\s+)?(overdos\w*|od)\b|\b(overdos\w*|od'?ing)\s+(on\s+my|tonight|right\s+now)\b|"
    r"\bi('ve|\s+have)?\s+(just\s+)?(overdosed|od'?d)\s+(on|tonight|right\s+now|just\s+now)\b|"
    r"\bi('ve|\s+have)?\s+just\s+(overdosed|taken\s+an\s+overdose|took\s+an\s+overdose)\b",
    rf"\benough\s+{MEANS}\s+(saved|to\s+(make\s+sure|do\s+it|end|not\s+wake|kill))",
    rf"\b(counted|counting|count)\s+(out\s+)?(all\s+)?{WHOSE}(\w+\s+)?{MEANS}\b[^!?]{{0,60}}\benough\b"
    r"(?!\s+(to\s+last|for\s+(the|a|this|next)\s+(week|month)|until|till))",
    rf"\bhow\s+many\s+(of\s+)?{WHOSE}(\w+\s+)?{MEANS}\b[^.!?]{{0,30}}\b(take|kill|enough|lethal|"
    rf"fatal|it\s+would\s+take)",
    r"\b(would\s+be|is|are)\s+(lethal|fatal|deadly)\b(?!\s+(to|for)\s+(?!me\b|myself\b))|\b(lethal|fatal|deadly)\s+"
    r"(dose|amount|quantity)",
    rf"\b{MEANS}\b[^!?]{{0,100}}\btak(e|ing)\s+(them|it)\s+all\b",
    r"\bhow\s+(high|tall)\s+(the\s+|a\s+|that\s+)?(car\s+park|roof|bridge|building|balcony|cliff|tower)",
    r"\b(bridges?|buildings?|roofs?|cliffs?|car\s+parks?)\b[^.!?]{0,30}\bhigh\s+enough\b",
    r"\b(on|at|up)\s+(the\s+)?(top\s+floor|roof|edge)\s+of\s+[^.!?]{0,25}\blooking\s+down\b",
    r"\bhow\s+long\b[^.!?]{0,25}\b(bleed\s+out|to\s+die|to\s+drown|to\s+suffocate)",
    r"\bstockpil\w*\b[^.!?]{0,20}\b(pills|tablets|meds|medication|prescriptions?|drugs)\b",
    r"\b(look(ed|ing)?\s+up|googl\w*|search\w*|read(ing)?\s+(up\s+)?about|research\w*)\b[^.!?]{0,30}\b"
    r"(overdos\w*|lethal|fatal\s+dose|painless\s+ways?|ways\s+to\s+(die|end\s+it)|how\s+to\s+(tie\s+a|hang))",
    r"\bpainless\s+(way|ways|death|method)s?\s+(to|of)\s+(die|dying|go|end)",
    r"\b(highest|tallest)\s+(bridge|building|car\s+park|cliff|roof)s?\b"
    r"(?!\s+(in|of)\s+(the\s+)?\w+)",
    r"\bi\s+know\s+what\s+(it's|it\s+is|they're|they\s+are)\s+for\b",
    r"\b(which|what)\s+(cliff|bridge|building|roof|train|car\s+park)\s+(i'd|i\s+would|i'll|i\s+will)\b",
    rf"\bhow\s+many\s+{MEANS}\b[^.!?]{{0,25}}\b(take|kill|enough|lethal|fatal)",
    r"\b(got|bought|have|found|tied|tie|tying)\s+(a|the)\s+(rope|noose)\b(?!\s+(skills?|access|course|"
    r"swing|ladder|bridge|work|team)\b)|\bnoose\b",
    rf"\b(the|my)\s+(knife|knives|blade|razor|rope|gun|{MEANS})\s+(is|are)\s+(right\s+)?"
    r"(here|next\s+to\s+me|beside\s+me|next\s+to\s+my\s+bed|by\s+my\s+bed|under\s+my\s+pillow|"
    r"in\s+front\s+of\s+me|lined\s+up|laid\s+out|counted\s+out)\b",
    rf"\b(have|holding|got)\s+(the|my|a\s+handful\s+of)\s+(knife|blade|razor|gun|{MEANS})\s+in\s+my\s+"
    r"hands?\b",
    r"\b(in|inside)\s+(the|my)\s+(closed\s+|locked\s+)?garage\b[^.!?]{0,30}\bengine\s+(running|on)\b",
    r"\b(worked|figured|found)\s+out\s+which\s+trains?\s+(don't|doesn't|do\s+not|does\s+not|won't)\s+stop\b",
    r"\b(hang|hanging|hanged|drown|drowning|shoot|shooting|stab|stabbing|poison|poisoning|"
    r"starve|starving|suffocate|suffocating|gas|gassing)\s+(my\s?self)\b",
    r"\bjump(s|ing|ed)?\s+(off|from)\s+(a|the|my|this)?\s*(bridge|building|roof|balcony|cliff|"
    r"window|ledge|tower|car\s+park)",
    r"\b(jump(s|ing|ed)?|step(s|ping|ped)?|walk(s|ing|ed)?|throw(ing)?\s+myself|"
    r"lie\s+down|lay\s+down)\s+(in\s+front\s+of|under)\s+(a|the)?\s*(train|car|bus|truck|"
    r"lorry|tube)",
    r"\b(walk\w*|step\w*|run|running)\s+(out\s+)?into\s+(the\s+)?(traffic|oncoming|motorway|highway)\b",
    r"\b(thinking\s+(about|of)|want\s+to|going\s+to|might|should)\s+(just\s+)?(driv(e|ing)|crash(ing)?)\s+"
    r"(my\s+car\s+)?(into|off)\s+(a|the)\s+(wall|tree|bridge|cliff|river|lake|barrier|oncoming)\b",
    r"\b(want|going|about|ready)\s+to\s+jump\s*($|[.,!?;]|off\b)",
    r"\b(standing|sitting|i'm)\s+on\s+(the|a|my)\s+(ledge|edge\s+of\s+(the|a)\s+(roof|bridge|"
    r"building|cliff))\b",
    r"\b(gun|pistol)\s+to\s+my\s+head\b|\bslit\s+my\s+wrists?\b",
    # goodbye notes and last messages
    r"\b(suicide|goodbye|farewell)\s+(note|letter)s?\b",
    r"\b(this\s+is|here's)\s+my\s+(last|final|goodbye|farewell)\s+"
    r"(message|note|letter|post|words|text)\b(?!\s+(to\s+(the|that|this|them)|tonight|today|for\s+(today|tonight|"
    r"now|the\s+(day|night|week)))\b)",
    r"\b(my\s+)?(last|final|goodbye)\s+(message|words)\s+(to|for)\s+(you|everyone|all)\b",
    r"\bgoodbye\s+(everyone|world|forever|for\s+good|cruel\s+world)\b",
    r"\bin\s+case\s+i\s+(don't|do\s+not|won't)\s+make\s+it\b",
    r"\b(note|letters?|message)\b[^.!?]{0,40}\b(in\s+case\s+i('m|\s+am)\s+not\s+(here|around|alive)(?!\s+(for|to|at|on|when)\b)|"
    r"(for\s+)?after\s+i'?m\s+gone)\b",
    r"\bsaid\s+my\s+goodbyes\b(?!\s+(to\s+(the|my)\s+(old\s+)?(team|colleagues|co-?workers|office|job|"
    r"company|manager|boss)|at\s+(work|the\s+office|my\s+(old\s+)?job)))",
    # a goodbye that says they will be gone ("won't be here tomorrow" alone is a diary)
    r"\bthis\s+is\s+goodbye\b[^.!?]{0,40}\b(won't|will\s+not|not\s+going\s+to)\s+be\s+"
    r"(here|around|alive)\b",
    r"\b(won't|will\s+not|not\s+going\s+to)\s+be\s+alive\s+(tomorrow|by|next|much|for)\b",
    r"\bgiv(e|ing)\s+away\s+(all\s+)?my\s+(things|stuff|belongings|possessions)\b",
    r"\bgiv(e|ing|en)\s+(all\s+)?my\s+(things|stuff|belongings|possessions)\s+away\b",
    r"\bgave\s+(away\s+)?my\b[^.!?]{0,60}\bneed\s+to\s+know\s+why\b",
    r"\b(nobody|no\s?-?one)('s|\s+is|\s+will\s+be|\s+gets)\s+(left|stuck)\s+with\b[^.!?]{0,30}\bafter\s+"
    r"(me|i'?m\s+gone)\b",
    r"\bwho\s+gets\s+what\b[^!?]{0,40}\b(won't|will\s+not)\s+need\b",
    r"\b(nobody|no\s?-?one)\s+(has|have|will\s+have)\s+to\s+(deal\s+with|sort\s+out|clean\s+up)\s+"
    r"(my|the)\s+\w+\s+after\b",
    r"\b(when|after|once)\s+i('m|\s+am)\s+gone\b(?!\s+(on|for|to|abroad|away|travelling)\b)",
    r"\bwhoever\s+finds\s+me\b",
    r"\b(putting|put|getting|got|sorting|sorted)\s+(all\s+)?my\s+affairs\s+in\s+order\b"
    r"(?!\s+(before|for|ahead\s+of)\s+(i\s+|the\s+|my\s+|a\s+)?(move|moving|new|starting|leaving|relocat\w*|"
    r"trip|travel\w*|baby|wedding|job))",
    r"\bgiv(e|ing|en)\s+away\s+(everything|all)\s+i\s+own\b",
    r"\bknows?\s+it\s+(wasn't|was\s+not|isn't|is\s+not)\s+(her|his|their|your|anyone's|anybody's)\s+fault\b",
    r"\b(notes?|letters?)\b[^.!?]{0,40}\bfor\s+when\s+i('m|\s+am)\s+(not|no\s+longer)\s+(here|around|alive)\b",
    r"\b(notes?|letters?)\b[^.!?]{0,30}\b(open|read)\s+(it\s+|them\s+)?(if|in\s+case|when)\s+"
    r"(anything|something)\s+happens\b",
    r"\b(this\s+is|that's)\s+the\s+last\s+(thing|message)\s+i('ll|\s+will)\s+(ever\s+)?(write|send|say)\b"
    r"[^!?]{0,40}\b(sorry|goodbye|bye|love\s+you|forgive)",
    r"\bsorry\b[^!?]{0,60}\b(it's|it\s+is)\s+better\s+this\s+way\b",
    r"\bletters?\s+(to|for)\s+(my\s+\w+|everyone|each\s+of\s+them)\b[^.!?]{0,40}\b(just\s+in\s+case|"
    r"in\s+case\s+(anything|something)\s+happens|if\s+anything\s+happens|to\s+open\s+if)",
    r"\b(i|i'm)\s+(go|going|leave|leaving|gone)\s+for\s+good\b(?!\s+(to|from|abroad)\b)",
    r"\bgoodbye\b[^.!?]{0,50}\b(don't|doesn't)\s+know\s+it\s+yet\b",
    r"\b(won't|will\s+not)\s+hear\s+from\s+me\s+(ever\s+)?again\b",
    r"\bgoodbye\b[^!?]{0,40}\b(not|won't)\s+(going\s+to\s+)?be\s+(here|around|alive)\b",
    r"\btell\s+(my\s+)?\w+\s+(that\s+)?i\s+lov(e|ed)\s+(her|him|them|you)\b",
    # self-harm
    r"\b(i|i've|i'm|i\s+am|been|started|starting|start|want\s+to|going\s+to|about\s+to|need\s+to|urges?\s+to)"
    r"\s+(been\s+)?(\w+ly\s+)?self[\s-]?harm|\bself[\s-]?harm\w*\s+(urges?|again|tonight|thoughts|is\s+back|"
    r"are\s+back|right\s+now)\b",
    rf"\b(hurt|hurting|harm|harmed|harming|cut|cutting|burn|burnt|burned|burning)\s+{SELF}",
    r"\b(been|started|start)\s+cutting\s+(again|myself)",
    r"\bcut(ting)?\s+my\s+(wrists?|arms?|thighs?|skin)\b",
    r"\b(i|i've|i\s+have)\s+(cut|been\s+cutting)\s+again\b",
    r"\b(want|need|urges?)\s+to\s+cut\s+(so\s+bad(ly)?|again|tonight|right\s+now)\b",
    r"\b(burn\w*|cut\w*|scratch\w*|hit\w*|punch\w*|bit|bite|biting|bang\w*)\s+my\s+(own\s+)?(arms?|wrists?|"
    r"legs?|thighs?|skin|hands?|face|head)\b[^.!?]{0,30}\b(lighter|blade|razor|knife|on\s+purpose|till|"
    r"until|again|hot\s+\w+|iron)\b",
    r"\b(till|until)\s+(they|it|my\s+\w+)\s+(bleeds?|bled|bruises?|bruised|burns?)\b",
    r"\b(cut|cutting|self[\s-]?harm\w*|hurt(ing)?\s+myself)\b[^!?]{0,60}\bi('ve|\s+have)?\s+(did|done|started)\s+"
    r"it\s+again\b",
    # round 4 (the third held-out set's misses, read as families)
    # wishes and plans in other words
    r"\bsoon\b[^.!?]{0,10}\b(won't|will\s+not|never)\s+have\s+to\s+(feel|deal\s+with|face|suffer)\b",
    r"\b(won't|will\s+not|never)\s+have\s+to\s+feel\s+(any\s+of\s+)?(this|it|anything)\s+ever\s+again\b",
    r"\b(ready|want|going|wish\s+i\s+could)\s+to\s+stop\s+breathing\b",
    r"\b(living|life)\s+(is|feels)\s+pointless\b[^.!?]{0,40}\b(ready|want|going)\s+to\s+(stop|go|end)\b",
    r"\bplanned\s+(out\s+)?(how\s+and\s+when|when\s+and\s+how|the\s+(date|day|night|method))\b",
    r"\bi\s+(won't|will\s+not|will\s+no\s+longer)\s+be\s+alive\b",
    r"\b(my\s+)?last\s+(night|day|hours?|week)\s+(alive|on\s+(this\s+)?earth)\b",
    r"\bthis\s+is\s+the\s+end\s+for\s+me\b(?!\s+(at|in|with|on)\b)|\bbye\s+forever\b(?!\s+to\b)",
    r"\bme\s+being\s+dead\b|\bwith\s+me\s+dead\b",
    r"\b(offed|off(ing)?)\s+myself\b",
    r"\b(better|happier|easier)\s+(off\s+)?without\s+me\s+in\s+it\b",
    r"\b(richer|freer|safer|lighter)\b[^.!?]{0,20}\bif\s+i\s+(was|were)\s+(dead|gone)\b",
    rf"\b(nobody|no\s?-?one)\s+would\b[^.!?]{{0,30}}{IF_I_WAS_GONE}",
    r"\b(deal\s+with|put\s+up\s+with|stuck\s+with)\s+me\s+being\s+alive\b",
    r"\bbetter\s+off\s+with\b[^.!?]{0,20}\bdead\b",
    r"\b(not\s+planning\s+on|don't\s+plan\s+on|don't\s+intend\s+on)\s+being\s+(alive|here|around)\b",
    r"\b(picturing|imagining|imagine|picture)\s+myself\s+(hanging|dead|jumping|in\s+a\s+coffin)\b",
    r"\b(don't\s+think|not\s+sure)\s+i('ll|\s+will)\s+be\s+(around|here|alive)\b(?!\s+(at|for|in|on|when)\b)",
    r"\b(when|once|after|before)\s+i('m|\s+am|'ve|\s+have)\s+(dead|died)\b",
    r"\b(when|once|after|before)\s+(they|someone|somebody|my\s+\w+|you)\s+(find|finds|found)\s+me\b",
    r"\b(that'?s|this\s+is)\s+my\s+way\s+out\b|\bmy\s+way\s+out\s+of\s+(all\s+(of\s+)?this|everything|"
    r"this\s+life|it\s+all)\b",
    rf"\b{IF_I_WAS_GONE}[^.!?]{{0,30}}?\b(not\s+(one|a\s+single)\s+(person|soul)\s+would|fine\s+by\s+me|"
    r"(ok|okay)\s+with\s+me|wouldn't\s+mind)\b",
    r"\bdeath\s+(sounds|seems|feels|looks)\s+(so\s+much\s+|much\s+)?(better|easier|nicer|preferable)\b",
    r"\b(hop(e|ing)|wish(ing)?)\b[^.!?]{0,10}\b(a\s+)?(car|bus|truck|train|lorry)\s+(hits|would\s+hit|runs\s+over|"
    r"would\s+run\s+over)\s+me\b",
    r"\benough\s+to\s+(die|kill\s+me|not\s+wake\s+up)\b",
    r"\bi\s+know\s+(exactly\s+)?which\s+(bridge|car\s+park|building|cliff|roof|train|spot)\b(?!\s+to\s+(take|get))",
    r"\b(which|what)\s+(bridge|building|car\s+park|cliff|roof)\b[^.!?]{0,30}\b(highest|tallest)\b",
    rf"\b(after|when|once)\s+i('m|\s+am)\s+(not\s+(here|around)\s+{AGAIN}|no\s+longer\s+(here|around|alive))\b",
    r"\btell\s+(my\s+)?\w+\s+(that\s+)?i('m|\s+am)\s+sorry\b[^!?]{0,20}\b(goodbye|bye)\b",
    r"\b(don't|doesn't)\s+know\s+(that\s+)?(it's|it\s+is|it\s+was)\s+the\s+last\s+time\b",
    r"\b(don't|do\s+not|can't)\s+see\s+why\s+i\s+should\s+(keep\s+going|go\s+on|carry\s+on|keep\s+living|"
    r"stay\s+alive|live)\b(\s+with\s+my\s+life)?(?!\s+(with|to|at|for|in|on|applying)\b)",
    # means ready: named for themselves, or what they are not for
    rf"\b{METHOD}\b[^!?]{{0,50}}\b(it's|its|it\s+is|they're|they\s+are)\s+(meant\s+)?(for\s+me|for\s+myself)\b",
    rf"\b{METHOD}\b[^!?]{{0,50}}\b(isn't|is\s+not|aren't|are\s+not|not)\s+(meant\s+)?(for|to)\s+(?!(me|you|him|her|"
    r"them|us|kids|children|my|your)\b)\w+",
    rf"\b{METHOD}\b[^!?]{{0,50}}\b(it's|it\s+is|they're|they\s+are|isn't|aren't)\s+(not\s+)?for\s+"
    r"(hunting|shaving|cooking|work|the\s+garden|climbing|camping)\b",
    rf"\b{METHOD}\b[^!?]{{0,80}}\b(loaded|ready)\W+(and\s+)?(it's\s+)?for\s+(me|myself)\b",
    rf"\b(load|loaded|cleaned|got)\s+{WHOSE}(gun|shotgun|rifle|pistol)\s+(out\s+)?for\s+(me|myself)\b",
    r"\byou\s+know\s+what\s+(it's|its|it\s+is|they're|they\s+are)\s+for\b",
    r"\b(use|using)\s+(it|them|that|this)?\s*on\s+myself\b",
    r"\b(belt|rope|cord|cable|scarf)\s+and\s+a\s+(door|hook|beam|banister|bannister|rafter)\b",
    r"\bhose\b[^.!?]{0,30}\bexhaust\b|\bexhaust\b[^.!?]{0,30}\bhose\b",
    r"\bcharcoal\b[^.!?]{0,40}\b(tap(e|ed|ing)\s+up|seal(ed|ing)?\s+(up\s+)?the|bathroom|bedroom|tent)\b",
    r"\b(sitting|standing|lying|sat|stood|lay)\s+on\s+the\s+(train\s+|railway\s+)?(tracks|rails|railway)\b",
    r"\btrains?\b[^!?]{0,80}\b(step|jump|walk|lie\s+down|throw\s+myself)\s+(in\s+front\s+of|under)\s+"
    r"(it|one|them)\b",
    r"\b(how\s+much|what\s+dose)\b[^.!?]{0,30}\b(would|will|could|to)\s+(kill|be\s+lethal\s+for|be\s+fatal\s+for)\s+"
    r"(me|myself)\b",
    r"\bwould\s+take\s+to\s+(die|kill\s+me|kill\s+myself|end\s+it|not\s+wake\s+up)\b",
    r"\bhow\s+(high|far|tall)\b[^.!?]{0,40}\b(to\s+(definitely\s+|surely\s+|actually\s+)?die|be\s+fatal|"
    r"be\s+lethal|kill\s+(you|me))\b",
    r"\bhow\s+to\s+do\s+it\s+without\s+(it\s+)?(hurting|pain)\b",
    r"\b(going\s+to|gonna|will|i'll|about\s+to|ready\s+to)\s+(climb\s+over\s+[^.!?]{0,20}\s+and\s+)?jump\s+"
    r"(when|tonight|once|after|from|over|in\s+front)\b",
    r"\b(going\s+to|gonna|will|i'll)\s+hang\s+(from|by)\s+(it|the|a|my)\b",
    r"\b(i'll|i\s+will|going\s+to|gonna)\s+(actually\s+|finally\s+)?go\s+over\s*($|[.,!?;]|tonight|the\s+(edge|side|"
    r"railing|wall))",
    r"\b(get\s+on|get\s+onto|climb|find)\b[^.!?]{0,40}\bto\s+jump\b(?!\s+(in|into|on|at|through|ship|"
    r"start|back))",
    r"\b(stood|standing|sat|sitting)\s+on\s+the\s+(bridge|roof|ledge|edge)\b[^.!?]{0,40}\blooking\s+down\b",
    rf"\bhow\s+(much|many)\s+(of\s+)?{WHOSE}(\w+\s+)?{MEANS}\s+(it\s+)?(takes|it'd\s+take|it\s+would\s+take|"
    r"would\s+do\s+it)\b",
    r"\bstop\s+my\s+heart\b|\bfor\s+when\s+i('m|\s+am)\s+ready\b",
    r"\b(railing|barrier|fence)\s+is\s+(lowest|low\s+enough|broken)\b|\b(doesn't|does\s+not)\s+have\s+a\s+"
    r"(barrier|railing|fence)\b",
    r"\bhose\b[^.!?]{0,30}\b(window|exhaust)\b",
    r"\brope\b[^.!?]{0,60}\b(tree|beam|loft|banister|hook|reaches|holds)\b|\btest(ed|ing)?\s+(the|a)\s+"
    r"(beam|branch|hook|banister)\b",
    rf"\b{MEANS}\b[^!?]{{0,40}}\b((that's|thats|is\s+that|it's)\s+enough|(that's|is)\s+the\s+answer)\b",
    rf"\b{MEANS}\b[^!?]{{0,80}}\b(going\s+to|gonna|will|i'll)\s+take\s+(them|it)\b(?!\s+(with|to|in\s+the\s+morning|"
    r"tomorrow|later|for|back))",
    rf"\btake\s+{WHOSE}{MEANS}\b[^.!?]{{0,20}}\ball\s+of\s+them\b",
    r"\b(pills|tablets|meds)\s+(and|with)\s+(the\s+)?(vodka|alcohol|wine|whisky|booze)\b|\b(vodka|alcohol|wine|"
    r"whisky|booze)\s+and\s+(the\s+)?(pills|tablets|meds)\b",
    r"\b(gun|shotgun|rifle|pistol)\s+out\b[^!?]{0,60}\b(tonight|not\s+a\s+joke|for\s+me|next\s+to\s+me|"
    r"on\s+the\s+bed)\b",
    r"\b(bridge|river|sea|cliffs?|roof|tracks|edge|drop|ledge)\b[^!?]{0,40}\b(not|never|won't)\s+(come|coming|go|going|"
    r"walk|walking)\s+(back|home)\b",
    # at the place, now
    r"\b(wrong|other)\s+side\s+of\s+the\s+(railing|barrier|fence|rail|parapet)\b",
    r"\b(i'm|i\s+am|standing|sitting|sat|stood|lying|waiting)\s+(\w+\s+){0,2}(on|at|by)\s+the\s+edge\s+of\s+(the\s+|a\s+)?"
    r"(\w+\s+)?(roof|bridge|cliff|building|car\s+park|multistorey|platform|quarry|tower\s+block)\b",
    r"\btracks\b[^.!?]{0,40}\b(waiting|wait)\s+(for|4)\b",
    # self-harm now, however it is spelled
    r"\b(slash|slashed|slashing|sliced|slicing|carved|carving)\s+(into\s+)?my\s+(arms?|wrists?|thighs?|legs?|skin|"
    r"stomach)\b",
    r"\bbeen\s+cutting\s+(all|again|tonight|since|every)\b|\b(relaps\w*|back)\s+on\s+(sh|self[\s-]?harm)\b",
    # pills saved up until there are enough
    rf"\b(saving|saved|hoard\w*|hid|hidden|hiding|stash\w*|collect\w*|counted|counting)\b[^.!?]{{0,40}}\b{MEANS}\b"
    r"[^!?]{0,40}\benough\s*(now|yet|to\s+(do|end|make|not|die|kill)|$|[.,!?;])",
    rf"\b{MEANS}\s+(are|is)\s+counted\b",
    r"\bthis\s+is\s+my\s+last\s+(night|day)\s*($|[.,!?;])",
    # preparations and goodbyes
    r"\b(won't|will\s+not)\s+be\s+(around|here)\s+to\s+(look\s+after|feed|walk|care\s+for|see)\b",
    r"\bso\s+(he|she|they)\s+(has|have|gets?)\s+(it|them)\s+after\b",
    r"\bknow\s+when\s+to\s+open\s+(them|it)\b",
    r"\bnothing\s+(is\s+)?left\s+for\s+(my\s+)?\w+\s+to\s+(sort|deal\s+with|clean\s+up)\b",
    r"\bwhere\s+my\s+(passwords|will|documents|papers)\s+(are|is)\b[^.!?]{0,30}\b(need|soon|after)\b",
    r"\blast\s+time\s+(you'll|you\s+will|anyone\s+will)\s+(ever\s+)?hear\s+from\s+me\b",
    r"\bmy\s+own\s+(eulogy|obituary)\b",
    r"\bnote\b[^!?]{0,40}\bgoodbye\W*$|\bgoodbye\b[^.!?]{0,30}\b(for\s+real|for\s+good)\b",
    r"\bby\s+the\s+time\s+(anyone|you|someone|they)\s+(reads?|sees?|finds?)\s+this\b",
    r"\b(gets|has|have|take|takes)\s+my\s+\w+\s+(when|after|once)\s+i('m|\s+am)\s+(not\s+here|gone)\b",
    r"\b(goodbye|letters?|notes?|know|chance)\b[^.!?]{0,60}\bbefore\s+i\s+(do|go\s+through\s+with)\s+it\b",
    r"\bsorted\s+(out\s+)?my\s+(accounts|affairs|finances|paperwork)\b[^.!?]{0,40}\b(instructions|letters?|notes?)\b",
    r"\b(wrote|written|writing|made|done|finished)\s+(out\s+)?my\s+(will|testament)\b[^!?]{0,60}"
    r"\b((nobody|no\s?one)\s+(needs|has)\s+to\s+know|soon|tonight|not\s+be\s+alive)\b",
    r"\b(so|that)\s+(she|he|they|my\s+\w+)\s+(doesn't|don't|won't|wouldn't|does\s+not)\s+blame\s+"
    r"(herself|himself|themselves)\b",
    r"\bexplaining\s+why\s+i\s+(did|do|am\s+doing|'m\s+doing)\s+(it|this)\b",
    r"\blast\s+message\b[^!?]{0,40}\b(love\s+you|goodbye|bye|sorry)\b",
    r"\bfarewell\s+(world|everyone|all)\b",
    r"\b(goodbye|farewell|note|letter)s?\b[^.!?]{0,40}\bbefore\s+i\s+die\b",
    r"\bschedul\w+\b[^.!?]{0,30}\b(goodbye|farewell|last)\s+(message|text|email|post)|\b(goodbye|farewell|"
    r"last)\s+(message|text|email|post)s?\b[^.!?]{0,60}\bschedul\w+",
    r"\b(wrote|written|writing|left)\s+(notes|letters)\s+(for|to)\s+my\s+(partner|kids|children|mum|mom|dad|"
    r"family|wife|husband|parents|sister|brother)\b[^.!?]{0,60}\b(put|left|hid|in\s+the)\b",
    r"\bsorted\s+(out\s+)?my\s+\w+\s+(stuff|things|accounts|affairs)\s+so\s+[^.!?]{0,30}\b(won't|don't|"
    r"doesn't)\s+have\b",
    # self-harm now
    r"\bcut\s+(too\s+|really\s+|so\s+)?deep(er|ly)?\b(?!\s+(into|in|costs|corners))",
    r"\b(only\s+)?(cutting|self[\s-]?harm\w*|hurting\s+myself|burning\s+myself)\s+(helps|is\s+the\s+only\s+"
    r"thing|calms\s+me)\b",
    r"\bsh\s+again\b|\bfresh\s+(cuts|scars|wounds|burns)\b|\bdeeper\s+than\s+(before|last\s+time)\b",
    r"(?<!got )(?<!been )(?<!was )(?<!were )(?<!be )\bcut\s+again\b",
    r"\brelaps\w*\b[^!?]{0,60}\b(blood|cut|cutting|harm|bleed\w*)\b",
    r"\bonly\s+thing\s+that\s+(helps|works|calms\s+me)\s+is\s+(the\s+)?(blade|razor|cutting|pain|hurting\s+myself)\b",
    r"\b(i've|i\s+have|i'm|i\s+am)\s+(been\s+)?cutting\b(?!\s+(back|down|costs|out|corners|ties|my\s+hair|"
    r"hair|coupons|the|it|things|them|my\s+(losses|spending|hours)))",
    r"(?<!could )(?<!could've )\b(punch\w*|hitting|hit|slap\w*|bit|biting|bite|scratch\w*)\s+"
    r"myself\b(?!\s+(up|on\s+(the|a)|by\s+accident|accidentally)\b)",
    r"\b(didn't|haven't|have\s+not|did\s+not)\s+cut\s+yet\b",
    rf"\b{METHOD}\b[^!?]{{0,40}}\b(ready|going|about|want|gonna)\s+to\s+cut\b",
    # asking to be taken, not to see the morning, death as a relief
    r"\b(pray\w*|hop\w*|wish\w*)\b[^.!?]{0,20}\b(god|something|death|someone|the\s+lord)\s+(takes?|would\s+take|"
    r"will\s+take)\s+me\b(?!\s+(seriously|on|to|for|out|back|through|home|with)\b)",
    r"\b(not|never)\s+to\s+see\s+(the|another|tomorrow)\b(\s+(morning|day))?(?!\s+like)|"
    r"\b(don't|do\s+not)\s+want\s+to\s+see\s+(another|the\s+next)\s+(morning|day)\b(?!\s+(like|of|at))",
    r"\b(relief|wish|hope|pray|glad|grateful)\b[^.!?]{0,30}\bheart\s+(would\s+)?(just\s+)?stop",
    r"\b(close|shut)\s+my\s+eyes\s+(for\s+good|forever|and\s+never)\b|\b(fall\s+asleep|sleep)\s+and\s+that\s+"
    r"(was|would\s+be|is)\s+the\s+end\b",
    r"\b(hop\w+|wish\w*|pray\w*|grateful|relief|glad)\b[^.!?]{0,30}\b(bus|car|train|truck|lorry|plane)\s+(\w+\s+)?"
    r"(hit|hits|crash\w*|runs?\s+me\s+over)\b|\bif\s+a\s+(bus|car|train|truck|lorry)\s+hit\s+me\b[^.!?]{0,30}"
    r"\b(grateful|relief|glad|fine|happy)\b",
    r"\b(death|dying|being\s+dead)\s+(sounds|seems|feels|would\s+be)\s+(like\s+)?(a\s+|so\s+)?(relief|peaceful|"
    r"nice|good|better|easier)\b|\b(peaceful|relief|easier|nice|better)\s+to\s+(just\s+)?(not\s+exist|"
    r"not\s+be\s+here|be\s+dead|die)\b",
    r"\btired\s+of\s+(breathing|being\s+alive|waking\s+up)\b",
    r"\b(disappointed|sad|upset|annoyed|angry)\s+(that\s+)?i('m|\s+am)\s+still\s+(here|alive|breathing)\b",
    r"\b(run|ran|running)\s+out\s+of\s+reasons\s+to\s+(live|stay|keep\s+going|go\s+on)\b|"
    r"\breasons\s+to\s+(live|stay)\s+(ran|have\s+run|are)\s+out\b",
    r"\bwon't\s+be\s+a\s+(next\s+week|tomorrow|next\s+year)\s+for\s+me\b",
    # at the place, with the means, now
    r"(^|\b(i'm|i\s+am|sitting|standing|sat|stood)\s+)on\s+the\s+ledge\b",
    r"\b(on|by|at|near)\s+the\s+(train\s+|railway\s+)?tracks\s+(right\s+now|now)\b",
    r"\b(walk\w*|wad\w*)\s+into\s+the\s+(sea|river|lake|water)\b[^!?]{0,40}\b(further|deeper|not\s+coming\s+back|"
    r"keep\s+going)\b",
    r"\b(knife|blade|gun|pistol|razor|rifle)('s|\s+is)?\s+(on|in)\s+my\s+lap\b|\b(the|my)\s+(blade|razor|noose)\s+"
    r"(\w+\s+)?ready\b",
    r"\b(different|several|multiple|two|three|four|five|\d+)\s+(different\s+)?(shops|chemists|pharmacies|stores|places)\b"
    r"[^.!?]{0,30}\b(nobody|no\s?one)\s+(would|will|could)\b",
    rf"\b{MEANS}\b[^.!?]{{0,40}}\b(hidden|hid|stashed)\b[^!?]{{0,40}}\bready\b",
    # a date and a way chosen
    r"\b(set|picked|chose|chosen)\s+(a|the)\s+(date|day)\s+to\s+do\s+it\b|\bi\s+know\s+how\s+and\s+when\b",
    r"\b(in\s+case|the\s+(day|night)|by\s+the\s+time)\s+i\s+(do|go\s+through\s+with)\s+it\b(?!\s+(wrong|right|again|"
    r"badly|properly))|\b(already|will)\s+(have\s+)?gone\s+through\s+with\s+it\b",
    # goodbyes
    r"\b(goodnight|good\s+night|bye|goodbye)\s+forever\b(?!\s+to\b)|\bsigning\s+off\s+for\s+good\b",
    r"\blast\s+time\s+i('ll|\s+will)\s+(ever\s+)?(talk|speak)\s+to\s+(anyone|anybody|you|people)\b",
    # self-harm, however it is done
    r"\b(lighter|iron|cigarette|blade|razor)\s+(on|to|against|into)\s+my\s+(skin|arms?|legs?|wrists?|thighs?)\b",
    r"\b(pressed|held|burn\w*|cut|hit|scratch\w*|bit)\b[^.!?]{0,40}\bmy\s+(skin|arms?|legs?|wrists?|thighs?)\b"
    r"[^.!?]{0,20}\bon\s+purpose\b",
    r"\b(skin|arms?|legs?|wrists?)\b[^.!?]{0,20}\b(till?|until)\s+(it|they)\s+(bleeds?|bled|bleed)\b|"
    r"\bscratch\w*\s+my\s+(arms?|legs?|skin|wrists?)\s+(raw|till|until)\b",
    r"\bsh'd\b|\bsh(ed|'ed)\s+again\b",
    # non-native phrasings
    r"\bfinish\s+(with\s+)?my\s+(own\s+)?life\b|\bfinish\s+(myself|me\s+off)\b",
    r"\bi\s+(think|thinking|want)\s+to\s+kill\s+me\b",
    r"\b(no|not\s+any|don't\s+have\s+(the|any))\s+(more\s+)?(wish|desire|will)\s+to\s+(live|be\s+alive|"
    r"exist|go\s+on)\b",
)

# Wording that may or may not mean ending one's life: the bot asks directly rather than guess.
UNSURE = (
    rf"\b(can't|cannot|can\s+not|don't\s+think\s+i\s+can)\s+(do|take|cope\s+with|keep\s+doing|"
    rf"handle)\s+(this|it|any\s+of\s+(it|this))\s*({AGAIN}|much\s+longer|\s*$|[.!?])",
    rf"\b(can't|cannot)\s+(cope|keep\s+doing\s+this|carry\s+on)\s*({AGAIN}|$|[.!?])",
    r"\b(want|wish)\s+(it\s+all|everything|all\s+of\s+(it|this)|it)\s+(would\s+)?(just\s+)?(to\s+)?"
    r"(stop|go\s+away)\b(?!\s+(for\s+(a|the|one)|until|till|at|so))",
    r"\b(don't|do\s+not)\s+want\s+to\s+be\s+here\b(?!\s+(at|in|for|with|on|when|if|right)\b)",
    r"\bnothing\s+matters\s*(any\s?more|now|$|[.!?])",
    r"\b(i'm|i\s+am)\s+done\W+(with\s+)?(all\s+of\s+it|everything|it\s+all)\b",
    r"\bgive\s+up\W+(on\s+)?(everything|it\s+all|all\s+of\s+it)\b",
    r"\b(want\s+to|going\s+to|about\s+to)\s+give\s+up\s*($|[.!?])",
    r"\bhow\s+much\s+longer\s+i\s+can\s+(keep\s+)?(do|doing|take|go\s+on|cope|hold\s+on)",
    r"\bwant\s+to\s+disappear\s*($|[.!?])",
    r"\bwhat'?s\s+(even\s+)?the\s+point\s*(any\s?more(?!\s+(w|with|in|of|for|applying|to)\b)|"
    r"of\s+(any\s+of\s+it|anything|it\s+all)|$|[.!?])",
    r"\b(tired|sick|exhausted)\s+of\s+(everything|it\s+all)\b",
    r"\beverything\s+(feels|is|seems)\s+(so\s+)?hopeless\b",
    r"\b(can't|cannot)\s+see\s+a\s+way\s+(forward|through)\b",
    r"\breally\s+(am\s+)?not\s+ok(ay)?\b",
    r"\bat\s+(my\s+|a\s+)?breaking\s+point\b",
    r"\bwish\s+i\s+could\s+(just\s+)?sleep\b[^.!?]{0,30}\b(not|never)\b",
    rf"\b(don't|do\s+not)\s+want\s+to\s+feel\s+anything\s*({AGAIN}|$|[.!?])",
    r"\bno\s+way\s+i\s+can\s+(carry\s+on|go\s+on|keep\s+going)\b",
)

# A story told in the past and over ("i used to self-harm, that's long behind me"): it
# raises no alarm unless something says it is back ("again", "tonight", "i want to").
PAST = (
    r"\bused\s+to\b",
    r"\byears?\s+ago\b",
    r"\bas\s+a\s+(teen(ager)?|kid|child|student)\b",
    r"\bat\s+(uni|university|school|college)\b",
    r"\bback\s+(when|then|in)\b",
    r"\bwhen\s+i\s+was\s+(\d+|young|younger|a\s+\w+)\b|\bat\s+(age\s+)?1\d\b",
    r"\bin\s+(19|20)\d\d\b",
    r"\b(been|stayed)\s+clean\b",
    r"\bmy\s+\w+\s+years\b|\bin\s+my\s+(teens|twenties|thirties|forties|20s|30s|40s)\b",
    r"\b(a\s+)?long\s+time\s+ago\b|\bthere\s+was\s+a\s+time\b",
    r"\b(old|faded)\s+scars\b|\bscars\s+(are|were)\s+(old|faded)\b",
    r"\b(years?|months?)\s+(recovered|clean|sober)\b|\brecovered\s+from\b",
    r"\bself[\s-]?harm[\s-]free\b|\bfree\s+(from|of)\s+self[\s-]?harm\b",
)
OVER = (
    r"\bbehind\s+me\b|\blong\s+gone\b",
    r"\bglad\s+i(\s+didn't|\s+did\s+not|\s+stayed|'m\s+still\s+here|\s+am\s+still\s+here)\b",
    r"\b(i'm|i\s+am)\s+(ok|okay|fine|alright|safe)\s+now\b",
    r"\b(i'm|i\s+am)\s+doing\s+(much\s+|so\s+much\s+|a\s+lot\s+)?better\b",
    r"\bin\s+a\s+(much\s+|far\s+)?better\s+place\b",
    r"\b(haven't|have\s+not)\s+(cut|self[\s-]?harmed|hurt\s+myself)\s+(in|for|since)\b",
    r"\bwon't\s+(change|break|undo)\s+(that|me|it)\b",
    r"\bgot\s+me\s+through\b|\bfeels\s+like\s+progress\b|\bproud\s+of\s+(that|myself)\b",
    r"\b(doesn't|does\s+not|won't|didn't)\s+change\s+that\b",
    r"\b(i've|i\s+have)\s+been\s+(well|okay|ok|fine|good|stable)\s+(for|since)\b",
    r"\bgot\s+(proper\s+|real\s+|the\s+)?help\b|\bglad\s+i\s+did\b",
    r"\b(years?|months?)\s+(recovered|clean|sober)\b|\brecovered\s+from\b",
    r"\bself[\s-]?harm[\s-]free\b|\bfree\s+(from|of)\s+self[\s-]?harm\b",
    r"\bdoing\s+(really\s+|so\s+|very\s+)?well\b|\b(good|gud|great|better|happier)\s+place\b|\bthriving\b",
    r"\bproud\b|\bhow\s+far\s+i('ve|\s+have)\s+come\b|\btherapy\s+(helped|worked)\b|\bi\s+know\s+now\b",
)
RELAPSE = (
    r"\bagain\b|\brelaps\w*",
    r"\b(is|are|'s|'re|came|coming|come)\s+back\b",
    r"\b(tonight|right\s+now|at\s+the\s+moment|these\s+days|lately)\b",
    r"\bi\s+(still\s+)?(want|need|plan)\s+to\s+(die|end|cut|hurt|harm|kill|do\s+it|disappear|be\s+dead|not\s+)|"
    r"\b(i'm|i\s+am)\s+(thinking\s+(about|of)|planning|going\s+to)\s+(it|doing\s+it|do\s+it|die|dying|end|"
    r"ending|cut|cutting|hurt|harm|kill|killing)\b",
)

SLANG = {
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "im": "i'm",
    "ive": "i've",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wnat": "want",
    "wasnt": "wasn't",
    "werent": "weren't",
    "isnt": "isn't",
    "arent": "aren't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "havent": "haven't",
    "thats": "that's",
    "theyre": "they're",
    "wud": "would",
    "u": "you",
    "wat": "what",
    "evry1": "everyone",
    "every1": "everyone",
    "evryone": "everyone",
    "noone": "no one",
    "2day": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "tomorow": "tomorrow",
    "cuttin": "cutting",
    "hurtin": "hurting",
    "ded": "dead",
    "diggin": "digging",
    "luvd": "loved",
    "luv": "love",
    "jus": "just",
    "livin": "living",
    "mornin": "morning",
    "talkin": "talking",
    "burnin": "burning",
    "shavin": "shaving",
    "youll": "you'll",
    "lookin": "looking",
    "thinkin": "thinking",
    "goin": "going",
    "doin": "doing",
    "killin": "killing",
    "dyin": "dying",
    "feelin": "feeling",
    "savin": "saving",
    "sittin": "sitting",
    "standin": "standing",
    "waitin": "waiting",
    "sleepin": "sleeping",
    "tryin": "trying",
    "nothin": "nothing",
    "somethin": "something",
    "cutin": "cutting",
    "agen": "again",
    "enuf": "enough",
    "tmrw": "tomorrow",
    "abt": "about",
    "wnt": "want",
    "id": "i'd",
    "b": "be",
    "rn": "right now",
}

_IDIOMS = re.compile("|".join(IDIOMS), re.IGNORECASE)
# One expression each: Python's re scans a long alternation at every position, and
# separately each can skip to its own first word (a 4096-character message: 46 -> 27 ms).
_CRISIS = [re.compile(pattern, re.IGNORECASE) for pattern in CRISIS]
_UNSURE = [re.compile(pattern, re.IGNORECASE) for pattern in UNSURE]
_PAST = re.compile("|".join(PAST), re.IGNORECASE)
_OVER = re.compile("|".join(OVER), re.IGNORECASE)
_RELAPSE = re.compile("|".join(RELAPSE), re.IGNORECASE)
_SLANG = re.compile(r"\b(" + "|".join(SLANG) + r")\b")
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Mn", "Me"}

CRISIS_TEXT = (
    "I'm really glad you told me, and I'm so sorry it feels this heavy right now. "
    "You deserve support from a person tonight.\n\n"
    "• If you might act on these thoughts or you're in danger, call your local emergency "
    "number now.\n"
    "• US: call or text 988 (Suicide & Crisis Lifeline).\n"
    "• UK and Ireland: Samaritans, 116 123, free, any time.\n"
    "• Elsewhere: your local crisis line, or someone you trust nearby.\n\n"
    "I'm a bot, not a person, and I can't help in an emergency. "
    "If it helps, we can try a short grounding step together."
)
CRISIS_BUTTONS = (("Try a grounding step", "/grounding"), ("I'm safe right now", "/affirm"))
# Asked when the words may or may not mean ending one's life. The payloads never reach
# Rasa: the Coach answers them (a leading "/" would make them intents).
ASK_TEXT = (
    "Can I ask you something directly? I'm asking because it matters: are you thinking "
    "about ending your life?\n\n"
    "Whatever the answer, it's okay to say it here. If you are, please reach a person tonight:\n"
    "• If you're in danger right now, call your local emergency number.\n"
    "• US: call or text 988. UK and Ireland: Samaritans, 116 123, free, any time.\n\n"
    "I've kept what you wrote. If you're not, we'll carry on right where we were."
)
ASK_AGAIN = (
    "I want to be sure I've understood you. Are you thinking about ending your life? "
    "A yes or a no is enough, or tap one of the buttons."
)
ASK_YES = ("Yes, I am", "ask:yes")
ASK_NO = ("No, I'm OK", "ask:no")
CARRY_ON = "Thank you for telling me. Let's carry on."
# Answers to the question: anything unsure counts as a yes.
_YES = re.compile(
    r"\b(yes|yeah|yea|yep|yup|ya|y|maybe|sometimes|kind\s+of|kinda|sort\s+of|a\s+bit|a\s+little|"
    r"not\s+sure|unsure|don't\s+know|idk|i\s+think\s+so|probably|possibly|i\s+(am|was)(?!\s+not|n't))\b"
)
_NO = re.compile(
    r"^(no+|nope|nah|not\s+really|not\s+at\s+all|of\s+course\s+not|god\s+no|never|i'm\s+not|"
    r"i\s+am\s+not|(i'm|i\s+am)\s+(ok|okay|fine|safe|alright|all\s+right)|it's\s+not\s+like\s+that|"
    r"not\s+like\s+that)\b"
)


def normalise(text: str) -> str:
    """Fold the tricks that hide words: invisible and combining characters, odd quotes,
    spacing, and chat spellings ("wanna", "dont")."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(
        " " if char.isspace() else char
        for char in decomposed
        if char.isspace() or unicodedata.category(char) not in _HIDDEN_CATEGORIES
    )
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    folded = re.sub(r"\s+", " ", folded).strip().lower()
    folded = re.sub(r"\bw/o(ut)?(?=\s|$)", "without", folded)
    folded = re.sub(
        r"\b2(?=\s+(die|live|do|go|be|end|kill|stay|keep|sleep|wake|see|cut)\b)", "to", folded
    )
    return _SLANG.sub(lambda match: SLANG[match.group()], folded)


class Verdict(Enum):
    CRISIS = "crisis"  # show the crisis resources at once
    UNSURE = "unsure"  # ask directly, with the resources beside the question
    SAFE = "safe"


def _told_as_over(text: str) -> bool:
    """A story of the past that says it is over and nothing says it is back."""
    return bool(_PAST.search(text) and _OVER.search(text) and not _RELAPSE.search(text))


def without_idioms(text: str) -> str:
    """``text`` normalised, with the idioms and the denials ("i'm not suicidal") taken out:
    what both nets read."""
    return re.sub(r"\s+", " ", _IDIOMS.sub(" ", normalise(text))).strip()


def pattern_verdict(text: str) -> Verdict | None:
    """What the patterns alone say; None when a past story over, which nothing may alarm."""
    read = without_idioms(text)
    if _told_as_over(read):
        return None
    if any(pattern.search(read) for pattern in _CRISIS):
        return Verdict.CRISIS
    if any(pattern.search(read) for pattern in _UNSURE):
        return Verdict.UNSURE
    return Verdict.SAFE


NET_VERDICTS = {
    safety_model.Reading.ALARM: Verdict.CRISIS,
    safety_model.Reading.ASK: Verdict.UNSURE,
    safety_model.Reading.QUIET: Verdict.SAFE,
}


def combine(patterns: Verdict | None, net: safety_model.Reading | None) -> Verdict:
    """The patterns decide what they recognise (a past story told as over is SAFE, known
    ambiguous wording asks); the learned net only reads what they leave as SAFE, and
    asks where its score is in the band below a clear alarm."""
    if patterns is None:
        return Verdict.SAFE
    if patterns is Verdict.SAFE and net is not None:
        return NET_VERDICTS[net]
    return patterns


def assess(text: str) -> Verdict:
    """How ``text`` reads: suicidal or self-harm language, unclear, or neither."""
    patterns = pattern_verdict(text)
    if patterns is not Verdict.SAFE:
        return combine(patterns, None)
    return combine(patterns, safety_model.loader.reading(without_idioms(text)))


def read_answer(text: str) -> bool | None:
    """An answer to ASK_TEXT: True for yes (or unsure), False for no, None if it is neither."""
    cleaned = normalise(text)
    if _YES.search(cleaned):
        return True
    if _NO.search(cleaned):
        return False
    return None


def is_crisis(text: str) -> bool:
    """True when ``text`` reads as suicidal or self-harm language."""
    return assess(text) is Verdict.CRISIS
