"""wordfreq's most frequent English words, as runs.py reads them, without importing wordfreq.

``wordfreq.top_n_list("en", 300, wordlist="small")`` of wordfreq 3.1.1, copied here
because importing wordfreq (langcodes, ftfy, its tokenizer) takes 0.1-0.2 s, most of
a one-draft check. wordfreq stays the source: tests/test_runs_words.py checks this list
equals the installed wordfreq's, and prints the list to paste when wordfreq changes it.
"""

from __future__ import annotations

SOURCE = ("en", 300, "small")  # wordfreq.top_n_list's language, length and word list
TOP_ENGLISH = (
    'the', 'to', 'and', 'of', 'a', 'in', 'i', 'is', 'for', 'that', 'you', 'it', 'on', 'with', 'this', 'was',
    'be', 'as', 'are', 'have', 'at', 'he', 'not', 'by', 'but', 'from', 'my', 'or', 'we', 'an', 'your',
    'all', 'so', 'his', 'they', 'me', 'if', 'one', 'can', 'will', 'just', 'like', 'about', 'up', 'out',
    'what', 'has', 'when', 'more', 'do', 'no', 'were', 'who', 'had', "it's", 'their', 'there', 'her',
    'which', 'time', 'get', 'been', 'would', 'she', 'new', 'people', 'how', "don't", 'some', 'also', 'them',
    'now', 'other', "i'm", 'its', 'our', 'than', 'good', 'only', 'after', 'first', 'him', 'into', 'know',
    'see', 'two', 'make', 'over', 'think', 'any', 'then', 'could', 'back', 'these', 'us', 'want', 'because',
    'go', 'well', 'said', 'way', '1', '2', 'most', 'much', 'very', 'where', 'even', 'should', 'may', 'here',
    'need', 'really', 'did', 'right', 'work', 'year', 'years', 'being', 'day', 'too', 'going', 'before',
    'off', 'why', 'made', 'still', 'take', '3', 'got', 'many', 'never', 'those', 'life', 'say', 'world',
    'down', 'great', 'through', "you're", 'last', 's', "that's", 'while', 'best', 'such', 'love', 'man',
    'home', 'long', 'look', 'something', 'use', "can't", 'same', 'used', 'both', 'every', '4', 'am', 'come',
    'part', 'state', 'three', 'around', 'between', 'always', 'better', 'find', '5', 'help', 'high',
    'little', 'old', 'since', 'another', 'does', 'own', 'things', 'under', 'during', 'game', "i've",
    'thing', 'give', 'house', 'place', 'school', 'again', 'next', 'each', 'mr', 'without', 'against',
    "didn't", 'end', 'found', 'must', 'show', 'big', 'feel', 'sure', 'team', 'ever', 'family', 'keep',
    'might', 'please', 'put', 'money', 'free', 'second', 'someone', 'away', 'left', 'number', 'city',
    'days', 'lot', 'name', 'night', 'play', 'until', 'company', 'doing', 'few', "he's", 'let', 'real', '6',
    'called', 'different', 'having', 'set', 'thought', 'done', 'however', 'getting', 'god', 'government',
    'group', 'looking', 'public', 'top', 'women', 'business', 'care', 'start', 'system', 'times', 'week',
    '7', 'already', 'anything', 'case', 'nothing', 'person', 'today', 'change', 'enough', 'everything',
    'full', 'live', 'making', 'point', 'read', "there's", 'told', 'yet', 'bad', "doesn't", 'four', 'hard',
    'mean', 'once', 'support', 'tell', 'including', 'music', 'power', 'seen', 'states', 'stop', 'water',
    'based', 'believe', 'call', 'head', 'men', 'national', 'small', 'took', 'white', 'came', 'far', 'job',
    'side', 'though', 'try', 'went'
)
