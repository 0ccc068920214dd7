"""What each kind of partner does in the programme, through its own client."""
