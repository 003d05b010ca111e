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
    "editsRemaining": "5",
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
  "full_text": "Old tweet 0 with 5 &gt; 3 &amp; 2 &lt; 4",
  "id": "1095405510456246272",
  "id_str": "1095405510456246272",
  "lang": "en",
  "possibly_sensitive": false,
  "retweet_count": "2",
  "retweeted": false,
  "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
  "truncated": false
 },
 {
  "tweet": {
   "created_at": "Wed Feb 13 19:33:20 +0000 2019",
   "display_text_range": [
    "0",
    "40"
   ],
   "edit_info": {
    "initial": {
     "editTweetIds": [
      "1095767898321846273"
     ],
     "editableUntil": "2023-01-01T00:00:00.000Z",
     "editsRemaining": "5",
     "isEditEligible": true
    }
   },
   "entities": {
    "hashtags": [],
    "symbols": [],
    "urls": [],
    "user_mentions": []
   },
   "favorite_count": "16",
   "favorited": false,
   "full_text": "Old tweet 1 with 5 &gt; 3 &amp; 2 &lt; 4",
   "id": "1095767898321846273",
   "id_str": "1095767898321846273",
   "lang": "en",
   "possibly_sensitive": false,
   "retweet_count": "3",
   "retweeted": false,
   "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
   "truncated": false
  }
 },
 {
  "created_at": "Thu Feb 14 19:33:20 +0000 2019",
  "display_text_range": [
   "0",
   "40"
  ],
  "edit_info": {
   "initial": {
    "editTweetIds": [
     "1096130286187446274"
    ],
    "editableUntil": "2023-01-01T00:00:00.000Z",
    "editsRemaining": "5",
    "isEditEligible": true
   }
  },
  "entities": {
   "hashtags": [],
   "symbols": [],
   "urls": [],
   "user_mentions": []
  },
  "favorite_count": "4",
  "favorited": false,
  "full_text": "Old tweet 2 with 5 &gt; 3 &amp; 2 &lt; 4",
  "id": "1096130286187446274",
  "id_str": "1096130286187446274",
  "lang": "en",
  "possibly_sensitive": false,
  "retweet_count": "4",
  "retweeted": false,
  "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
  "truncated": false
 }
]