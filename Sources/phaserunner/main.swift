print("phaserunner")
