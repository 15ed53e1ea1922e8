// Placeholder: see README.md for what this package will contain.
export {};
