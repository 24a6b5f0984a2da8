# Meetups, network-day programmes and RSVPs arrive with the meetups issue.
