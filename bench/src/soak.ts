console.log("soak: see issue 9");
