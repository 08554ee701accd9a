# `sam build` (BuildMethod: makefile) calls the target named after the function; the same script builds
# locally with `npm run build:app` (default output dist-app/).
.PHONY: build-ExamBuddyFunction build-ExamBuddyStreamFunction

build-ExamBuddyFunction:
	node scripts/build.mjs --out $(ARTIFACTS_DIR)

build-ExamBuddyStreamFunction:
	node scripts/build.mjs --function ExamBuddyStreamFunction --out $(ARTIFACTS_DIR)
