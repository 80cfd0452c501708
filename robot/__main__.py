from robot.main import main

main()
