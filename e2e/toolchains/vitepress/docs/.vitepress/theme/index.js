import DefaultTheme from 'vitepress/theme';
import 'mailsetup/elements';
import './mailsetup.css';

export default DefaultTheme;
