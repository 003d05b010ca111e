window.YTD.tweet.part0 = [
 {
  "created_at": "Tue Feb 12 19:33:20 +0000 2019",
  "display_text_range": [
   "0",
   "40"
  ],
  "edit_info": {
   "initial": {
    "editTweetIds": [
     "1095405510456246272"
    ],
    "editableUntil": "2023-01-01T00:00:00.000Z",
    "editsRemaiiing": "5",
    "isEditEligible": true
   }
  },
  "entities": {
   "hashtags": [],
   "symbols": [],
   "urls": [],
   "user_mentions": []
  },
  "favorite_count": "11",
  "favorited": false,
  "full_text": "Old tweet 0 with 5 &gt; 3 &amp﻿ &lt; 4",
  "id": "1095405510456246272App</a>",
  "truncated": false
 },
 {
  "tweet": ;
   "cd": "1096130286187446274",
  "id_str": "1096130286187446274",
  "lang": "en",
  "possibly_sensitive": false,
  "retweet_count": "4",
  "retweeted": false,
  "source": "<a href=\"https:follow\">Twitter Web App</a>",
  "truncated": false
 }
]