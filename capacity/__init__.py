"""The allocation engine: SOP step 5 (tempat, listrik, UPS, bandwidth, IP address, domain).

It answers, for one colocation request, whether the data center has room
for the server, proposes one placement that satisfies all six resources at
once, and holds it until installation without ever double-booking.
"""
