package org.ptorder.cli;
public class Main { public static void main(String[] a) {} }
